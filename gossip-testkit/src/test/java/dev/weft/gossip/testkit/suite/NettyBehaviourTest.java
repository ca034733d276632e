package dev.weft.gossip.testkit.suite;

/** The behaviour suite on Netty over loopback, encrypted, in real time. */
class NettyBehaviourTest extends BehaviourSuite {
    @Override
    protected MeshHarness newHarness() {
        return new NettyHarness();
    }
}

package dev.weft.gossip.testkit.suite;

/** The behaviour suite on the deterministic simulator. */
class SimBehaviourTest extends BehaviourSuite {
    @Override
    protected MeshHarness newHarness() {
        return new SimHarness();
    }
}

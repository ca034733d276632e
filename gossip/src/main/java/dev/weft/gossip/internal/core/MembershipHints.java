package dev.weft.gossip.internal.core;

import dev.weft.gossip.spi.Membership;

/** Turns membership hints into discovered targets, on the mesh actor. */
final class MembershipHints implements Membership.Listener {

    private final LocalMesh mesh;

    MembershipHints(LocalMesh mesh) {
        this.mesh = mesh;
    }

    @Override
    public void seen(Membership.Member member) {
        if (member.meshAddress() != null && !mesh.name().equals(member.name())) {
            mesh.actor.execute(() -> mesh.maker.discovered(member.meshAddress(), member.name()));
        }
    }

    @Override
    public void gone(Membership.Member member) {
        // A hint only: connections and topology decide; stale discovered targets are pruned by GC.
        LocalMesh.log.debug("membership says {} is gone", member.name());
    }
}

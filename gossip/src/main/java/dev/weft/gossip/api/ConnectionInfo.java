package dev.weft.gossip.api;

import java.net.InetSocketAddress;

/**
 * One connection as a peer reports it in its topology record.
 *
 * @param remote the peer at the other end
 * @param remoteAddress the other end's TCP address as seen by the reporter; for an inbound
 *     connection the port is ephemeral. May be null when the reporter did not know it.
 * @param outbound true if the reporter dialled it
 * @param established true once the connection's overlay is established (before that:
 *     "pending")
 */
public record ConnectionInfo(PeerName remote, InetSocketAddress remoteAddress, boolean outbound, boolean established) {}

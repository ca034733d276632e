package dev.weft.fastpath.internal.odp;

/**
 * A miss upcall: a frame that matched no flow, with the key the kernel extracted from it. The
 * frame is a private copy (the receive buffer is reused).
 */
public record OdpMiss(int datapathIfindex, byte[] frame, OdpFlowKey key) {}

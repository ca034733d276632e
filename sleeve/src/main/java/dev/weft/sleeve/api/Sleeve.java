package dev.weft.sleeve.api;

import dev.weft.gossip.spi.Overlay;

/**
 * The sleeve data plane of one router: a TAP port on the bridge and a UDP socket, and the
 * {@link Overlay} that gives every mesh connection a sleeve link. Frames captured from the TAP go
 * to the {@code FrameHandler} the router gave at start; the handler sends them on with {@link
 * #send} and delivers received ones with {@link #inject}.
 *
 * <p>Threads: {@link #send}, {@link #inject} and {@link #replyTooBig} are called on data-plane
 * threads with their own {@link Lane} (the ones the handler is called with); they never block
 * (except on a full socket send buffer) and allocate nothing. The rest may be called from any
 * thread.
 */
public interface Sleeve extends AutoCloseable {
    /** {@link #send} result: queued. */
    int SENT = 0;
    /** {@link #send} result: an IPv4 don't-fragment frame larger than the link's MTU. */
    int TOO_BIG = 1;
    /** {@link #send} result: no usable sleeve link to that peer. */
    int UNREACHABLE = 2;

    /** The overlay to register with the mesh (or with the router's overlay switch). */
    Overlay overlay();

    /** True if there is a sleeve link to the neighbour {@code peer} whose heartbeats pass both ways. */
    boolean established(long peer);

    /**
     * Queues {@code frame} for the neighbour {@code nextHop}, marked as entering the mesh at {@code
     * srcPeer} and leaving it at {@code dstPeer}. Uses the frame's headroom; the frame is free
     * again when this returns (its bytes were copied or sealed).
     *
     * @return {@link #SENT}, {@link #TOO_BIG} (answer with {@link #replyTooBig}) or {@link
     *     #UNREACHABLE}
     */
    int send(Lane lane, long nextHop, long srcPeer, long dstPeer, boolean flood, Frame frame);

    /** Writes {@code frame} into the local bridge through the TAP. False if the kernel refused it. */
    boolean inject(Lane lane, Frame frame);

    /**
     * Answers an IPv4 frame that was too big with an ICMP "fragmentation needed" (type 3 code 4)
     * carrying {@code mtu}, injected into the local bridge back to the frame's sender.
     */
    void replyTooBig(Lane lane, Frame frame, int mtu);

    /** The frame MTU of the link to {@code peer} (see {@link SleeveStatus.Link#frameMtu()}), or -1. */
    int frameMtu(long peer);

    SleeveStatus status();

    /** Stops the threads, closes the TAP and the socket. Idempotent. */
    @Override
    void close();
}

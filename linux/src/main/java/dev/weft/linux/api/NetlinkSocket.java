package dev.weft.linux.api;

import dev.weft.linux.internal.FdHandle;
import dev.weft.linux.internal.RtnlNames;
import dev.weft.linux.internal.ffi.Native;
import dev.weft.linux.internal.uapi.Sys;
import java.nio.ByteBuffer;
import java.util.function.IntFunction;

/**
 * A netlink socket of one protocol ({@link Netlink#ROUTE}, {@link Netlink#GENERIC}, ...), bound
 * to a port id the kernel picks, in the network namespace of the thread that opened it (open it
 * inside {@link NetNs#run} to talk to another namespace's kernel objects; it stays there).
 *
 * <p><b>Threads.</b> Not thread-safe: one thread at a time uses a socket (callers that share one
 * serialize, as {@link RtNetlink} does). {@link #wakeup()} and {@link #close()} may be called
 * from any thread; they make a blocked {@link #receive} return.
 *
 * <p><b>Buffers.</b> The socket owns a request {@link MessageWriter} and a direct receive buffer;
 * messages handed to handlers are views into that buffer, valid during the callback only.
 *
 * <p><b>Errors.</b> {@code NLMSG_ERROR} replies become {@link NetlinkException} naming the
 * subject the caller gave, the errno and the kernel's extended-ACK text when there is one.
 */
public final class NetlinkSocket implements AutoCloseable {
    /** Default receive buffer: the kernel caps dump datagrams at 32 KiB; replies can be larger. */
    public static final int DEFAULT_RECEIVE_BUFFER = 64 * 1024;

    private final int protocol;
    private final FdHandle handle;
    private final int portId;
    private final MessageWriter writer = new MessageWriter(4096);
    private final NetlinkMessage view = new NetlinkMessage();
    private final ByteBuffer recv;
    private final long recvAddress;
    /**
     * sockaddr_nl (12 bytes) at 0, socklen_t at 16, an int option value at 24, a struct msghdr
     * (56 bytes) at 32 and its one struct iovec (16 bytes) at 96, for recvmsg(2).
     */
    private final ByteBuffer scratch = Native.allocate(128);

    private final long scratchAddress = Native.address(scratch);
    private int seq;
    private IntFunction<String> typeNames;

    private NetlinkSocket(int protocol, int fd, int receiveBufferBytes) {
        this.protocol = protocol;
        this.handle = new FdHandle(fd, "netlink socket (protocol " + protocol + ")");
        this.recv = Native.allocate(receiveBufferBytes);
        this.recvAddress = Native.address(recv);
        this.typeNames = protocol == Netlink.ROUTE ? RtnlNames::messageType : t -> "message type " + t;
        try {
            // Best effort: older kernels lack these; errors then carry less detail.
            setOption(Sys.NETLINK_EXT_ACK, 1);
            setOption(Sys.NETLINK_CAP_ACK, 1);
            scratch.putShort(0, (short) Sys.AF_NETLINK)
                    .putShort(2, (short) 0)
                    .putInt(4, 0)
                    .putInt(8, 0);
            Native.check(Native.C.bind(fd, scratchAddress, 12), "bind netlink socket");
            scratch.putInt(16, 12);
            Native.check(Native.C.getsockname(fd, scratchAddress, scratchAddress + 16), "getsockname netlink");
            this.portId = scratch.getInt(4);
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
        // msghdr: name -> sockaddr at 0, iov -> the receive buffer, no control data.
        scratch.putLong(32, scratchAddress)
                .putInt(40, 12)
                .putLong(48, scratchAddress + 96)
                .putLong(56, 1);
        scratch.putLong(64, 0).putLong(72, 0).putInt(80, 0);
        scratch.putLong(96, recvAddress).putLong(104, recv.capacity());
        this.seq = portId * 7919; // distinct start per socket, for readable traces only
    }

    /**
     * Opens a socket of {@code protocol} with the default receive buffer. Blocks briefly (a few
     * system calls); the socket lives in the calling thread's network namespace.
     */
    public static NetlinkSocket open(int protocol) {
        return open(protocol, DEFAULT_RECEIVE_BUFFER);
    }

    /**
     * Opens a socket with a receive buffer of {@code receiveBufferBytes} (the largest single
     * datagram it can take; larger ones fail with EMSGSIZE).
     */
    public static NetlinkSocket open(int protocol, int receiveBufferBytes) {
        if (receiveBufferBytes < 4096) {
            throw new IllegalArgumentException("receive buffer of " + receiveBufferBytes + " bytes < 4096");
        }
        int fd = Native.C.socket(Sys.AF_NETLINK, Sys.SOCK_RAW | Sys.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw Native.fail("socket(AF_NETLINK, protocol " + protocol + ")");
        }
        return new NetlinkSocket(protocol, fd, receiveBufferBytes);
    }

    public int protocol() {
        return protocol;
    }

    /** The port id the kernel bound this socket to (what OVS calls the upcall pid). */
    public int portId() {
        return portId;
    }

    /** The file descriptor, for poll/epoll integration; owned by this socket. */
    public int fd() {
        return handle.fd();
    }

    /** Names message types in exceptions (e.g. a family's commands); not needed for ROUTE. */
    public void setTypeNames(IntFunction<String> names) {
        this.typeNames = names;
    }

    String typeName(int type) {
        return typeNames.apply(type);
    }

    /** The socket's request writer; begin a message on it, then pass it to request/dump. */
    public MessageWriter writer() {
        return writer;
    }

    /** Joins a multicast group (e.g. an rtnetlink RTNLGRP_* or a genl family's group id). */
    public void joinGroup(int group) {
        setOptionOrThrow(Sys.NETLINK_ADD_MEMBERSHIP, group, "join netlink group " + group);
    }

    public void leaveGroup(int group) {
        setOptionOrThrow(Sys.NETLINK_DROP_MEMBERSHIP, group, "leave netlink group " + group);
    }

    /**
     * Sets the kernel's socket receive buffer (SO_RCVBUFFORCE, root) in bytes: how much may queue
     * before the kernel drops messages (ENOBUFS) on a busy multicast or upcall socket.
     */
    public void setKernelReceiveBuffer(int bytes) {
        if (!setOption(Sys.SOL_SOCKET, Sys.SO_RCVBUFFORCE, bytes)) {
            setOptionOrThrow(Sys.SOL_SOCKET, Sys.SO_RCVBUF, bytes, "SO_RCVBUF " + bytes);
        }
    }

    /**
     * Sends the writer's message as a request with {@code NLM_F_ACK} and delivers every reply to
     * {@code handler} until the ACK. Blocks until the kernel answered.
     *
     * @param subject what the request is about, for error messages ({@code toString()} is only
     *     called on failure)
     * @return the number of reply messages delivered (the ACK is not counted)
     * @throws NetlinkException if the kernel answered with an error
     */
    public int request(MessageWriter message, MessageHandler handler, Object subject) {
        message.addFlags(Netlink.F_REQUEST | Netlink.F_ACK);
        return transact(message, handler, subject, false);
    }

    /**
     * Sends the writer's message as a dump ({@code NLM_F_DUMP}) and delivers every part to
     * {@code handler} until {@code NLMSG_DONE}. If the kernel reports the dump inconsistent
     * (the table changed under it) this throws a NetlinkException with EINTR after the dump
     * finished; callers retry.
     */
    public int dump(MessageWriter message, MessageHandler handler, Object subject) {
        message.addFlags(Netlink.F_REQUEST | Netlink.F_DUMP);
        return transact(message, handler, subject, true);
    }

    /** Sends the writer's message as is (with a fresh sequence number, which it returns). */
    public int send(MessageWriter message) {
        int s = ++seq;
        message.sequence(s, portId);
        ByteBuffer b = message.buffer();
        int len = b.position();
        if (!handle.acquire()) {
            throw new IllegalStateException("netlink socket closed");
        }
        try {
            long n = Native.C.send(handle.fd(), Native.address(b), len, 0);
            if (n != len) {
                throw n < 0
                        ? new KernelException("send " + typeName(message.type()), Native.errno())
                        : new KernelException("short netlink send (" + n + " of " + len + " bytes)", Errno.EIO);
            }
        } finally {
            handle.release();
        }
        return s;
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for one datagram and delivers each message
     * in it to {@code handler}, whatever its sequence number: for multicast notifications and
     * unsolicited messages such as OVS upcalls.
     *
     * @return messages delivered; 0 on timeout or {@link #wakeup()}; -1 once closed
     * @throws NetlinkException with ENOBUFS when the kernel dropped messages for this socket
     */
    public int receive(MessageHandler handler, int timeoutMillis) {
        if (!handle.acquire()) {
            return -1;
        }
        try {
            if (!handle.awaitReadable(timeoutMillis)) {
                return handle.isClosed() ? -1 : 0;
            }
            int n = receiveDatagram(Sys.MSG_DONTWAIT, "receive");
            if (n < 0) {
                return 0;
            }
            int count = 0;
            for (int off = 0; off < n; ) {
                view.reset(recv, off, n - off);
                off += Netlink.align(view.length());
                if (view.type() == Netlink.NLMSG_ERROR && view.payloadLength() >= 4 && view.u32(0) != 0) {
                    throw error(view, "unsolicited reply");
                }
                handler.onMessage(view);
                count++;
            }
            return count;
        } finally {
            handle.release();
        }
    }

    /** Makes a blocked or the next {@link #receive} return 0. Any thread. */
    public void wakeup() {
        handle.wakeup();
    }

    /** Closes the socket (idempotent, any thread); a blocked receive returns -1. */
    @Override
    public void close() {
        handle.close();
    }

    private int transact(MessageWriter message, MessageHandler handler, Object subject, boolean dump) {
        int type = message.type();
        int mySeq = send(message);
        if (!handle.acquire()) {
            throw new IllegalStateException("netlink socket closed");
        }
        try {
            int delivered = 0;
            boolean interrupted = false;
            for (; ; ) {
                int n = receiveDatagram(0, typeName(type));
                for (int off = 0; off < n; ) {
                    view.reset(recv, off, n - off);
                    off += Netlink.align(view.length());
                    if (view.sequence() != mySeq) {
                        continue; // a late part of an abandoned request, or a notification
                    }
                    switch (view.type()) {
                        case Netlink.NLMSG_ERROR -> {
                            if (view.payloadLength() < 4) {
                                throw new MalformedMessageException("NLMSG_ERROR without an error code");
                            }
                            if (view.u32(0) != 0) {
                                throw error(view, subject, type);
                            }
                            if (!dump) {
                                return delivered;
                            }
                        }
                        case Netlink.NLMSG_DONE -> {
                            if (view.payloadLength() >= 4 && view.u32(0) < 0) {
                                throw error(view, subject, type);
                            }
                            if (interrupted) {
                                throw new NetlinkException(
                                        String.valueOf(subject),
                                        Errno.EINTR,
                                        type,
                                        typeName(type),
                                        "dump interrupted: the table changed, retry");
                            }
                            return delivered;
                        }
                        case Netlink.NLMSG_NOOP -> {}
                        case Netlink.NLMSG_OVERRUN ->
                            throw new NetlinkException(
                                    String.valueOf(subject), Errno.ENOBUFS, type, typeName(type), "overrun");
                        default -> {
                            interrupted |= (view.flags() & Netlink.F_DUMP_INTR) != 0;
                            handler.onMessage(view);
                            delivered++;
                        }
                    }
                }
            }
        } finally {
            handle.release();
        }
    }

    /** One recvmsg into the receive buffer; returns its length, or -1 on EAGAIN. */
    private int receiveDatagram(int flags, String what) {
        for (; ; ) {
            scratch.putInt(40, 12); // msg_namelen, which the kernel overwrites
            long n = Native.C.recvmsg(handle.fd(), scratchAddress + 32, flags | Sys.MSG_TRUNC);
            if (n < 0) {
                int e = Native.errno();
                if (e == Errno.EINTR) {
                    continue;
                }
                if (e == Errno.EAGAIN) {
                    return -1;
                }
                if (e == Errno.ENOBUFS) {
                    throw new NetlinkException(
                            what,
                            e,
                            0,
                            "receive",
                            "the kernel dropped messages: the socket's receive queue overflowed");
                }
                throw new KernelException("recvmsg netlink (" + what + ")", e);
            }
            if (n > recv.capacity()) {
                throw new NetlinkException(
                        what,
                        Errno.EMSGSIZE,
                        0,
                        "receive",
                        "a " + n + "-byte datagram did not fit the " + recv.capacity() + "-byte receive buffer");
            }
            if (scratch.getInt(4) != 0) {
                continue; // not from the kernel: another process cannot speak for it
            }
            return (int) n;
        }
    }

    private NetlinkException error(NetlinkMessage m, Object subject, int requestType) {
        int errno = -m.u32(0);
        return new NetlinkException(String.valueOf(subject), errno, requestType, typeName(requestType), extAck(m));
    }

    private NetlinkException error(NetlinkMessage m, String subject) {
        int requestType = m.payloadLength() >= 20 ? m.u16(8) : 0;
        return error(m, subject, requestType);
    }

    /** The NLMSGERR_ATTR_MSG text of an error, if the kernel attached one. */
    private static String extAck(NetlinkMessage m) {
        if ((m.flags() & Netlink.F_ACK_TLVS) == 0 || m.payloadLength() < 20) {
            return null;
        }
        int echoed = (m.flags() & Netlink.F_CAPPED) != 0 ? Netlink.HEADER_LENGTH : m.u32(4);
        int tlvs = 4 + Netlink.align(echoed);
        if (echoed < Netlink.HEADER_LENGTH || tlvs > m.payloadLength()) {
            return null;
        }
        Attributes a = new Attributes(m.buffer(), m.payloadOffset() + tlvs, m.payloadOffset() + m.payloadLength());
        while (a.next()) {
            if (a.type() == 1) { // NLMSGERR_ATTR_MSG
                return a.string();
            }
        }
        return null;
    }

    private boolean setOption(int option, int value) {
        return setOption(Sys.SOL_NETLINK, option, value);
    }

    private boolean setOption(int level, int option, int value) {
        scratch.putInt(24, value);
        return Native.C.setsockopt(handle.fd(), level, option, scratchAddress + 24, 4) == 0;
    }

    private void setOptionOrThrow(int option, int value, String what) {
        setOptionOrThrow(Sys.SOL_NETLINK, option, value, what);
    }

    private void setOptionOrThrow(int level, int option, int value, String what) {
        if (!setOption(level, option, value)) {
            throw Native.fail(what);
        }
    }
}

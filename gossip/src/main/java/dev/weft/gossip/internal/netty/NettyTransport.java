package dev.weft.gossip.internal.netty;

import dev.weft.gossip.spi.Hello;
import dev.weft.gossip.spi.Transport;
import dev.weft.gossip.spi.TransportEvents;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production transport: TCP with Netty (native epoll when available, else NIO), the weft
 * handshake and framing, optional encryption, heartbeats and deadlines, and an accept throttle.
 */
public final class NettyTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);

    private final NettyTransportConfig config;
    private final SecureRandom random;
    private final boolean epoll;
    private final AcceptThrottle throttle;
    private volatile EventLoopGroup group;
    private volatile Channel server;
    private volatile ChannelGroup channels;
    private volatile TransportContext context;
    private volatile InetSocketAddress listenAddress;
    private volatile boolean closed;

    public NettyTransport(NettyTransportConfig config, SecureRandom random) {
        this.config = config;
        this.random = random;
        this.epoll = config.preferNative() && Epoll.isAvailable();
        this.throttle = new AcceptThrottle(
                config.acceptBurst(), config.acceptTokenInterval().toNanos());
        this.listenAddress = config.listen();
    }

    /** True when the native epoll transport is in use. */
    public boolean nativeEpoll() {
        return epoll;
    }

    @Override
    public synchronized void start(Supplier<Hello> identity, TransportEvents events) {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(config.ioThreads(), io);
        channels = new DefaultChannelGroup("weft-mesh", GlobalEventExecutor.INSTANCE);
        context = new TransportContext(config, identity, events, random);
        Class<? extends ServerChannel> serverClass =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(serverClass)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_LINGER, 0)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!throttle.tryAcquire(ch.eventLoop().ticker().nanoTime())) {
                            log.warn("accept throttled: dropping connection from {}", ch.remoteAddress());
                            context.events().inboundFailed(ch.remoteAddress(), "accept throttled");
                            ch.close();
                            return;
                        }
                        channels.add(ch);
                        init(ch, false, null);
                    }
                });
        try {
            server = b.bind(config.listen()).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + config.listen(), e);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on " + config.listen() + ": " + e.getMessage(), e);
        }
        listenAddress = (InetSocketAddress) server.localAddress();
        log.info(
                "listening on {} ({}, {})",
                listenAddress,
                epoll ? "epoll" : "nio",
                config.encrypted() ? "encrypted" : "unencrypted");
    }

    private void init(Channel ch, boolean outbound, Object attempt) {
        ch.pipeline()
                .addLast(
                        "idle",
                        new IdleStateHandler(
                                config.readDeadline().toMillis(),
                                config.heartbeatInterval().toMillis(),
                                0,
                                TimeUnit.MILLISECONDS))
                .addLast("handshake", new HandshakeHandler(context, outbound))
                .addLast("connection", new ConnectionHandler(context, outbound, attempt));
    }

    @Override
    public void dial(InetSocketAddress address, Object attempt) {
        if (closed) {
            return;
        }
        if (group == null) {
            // nobody could be told that this dial failed: the caller must start the transport first
            throw new IllegalStateException("dial of " + address + " before the transport started");
        }
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_LINGER, 0)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        config.connectTimeout().toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        init(ch, true, attempt);
                    }
                });
        ChannelFuture f = b.connect(address);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                Throwable c = done.cause();
                String reason = c == null ? "connect failed" : c.getMessage() == null ? c.toString() : c.getMessage();
                context.events().dialFailed(address, attempt, reason, false);
            }
        });
    }

    @Override
    public InetSocketAddress listenAddress() {
        return listenAddress;
    }

    @Override
    public boolean encrypted() {
        return config.encrypted();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (channels != null) {
            for (Channel c : channels) {
                c.attr(ConnectionHandler.REASON).setIfAbsent("shutting down");
            }
            channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }
}

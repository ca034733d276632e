package dev.weft.router.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's local HTTP API (default 127.0.0.1:6784) on Netty: HTTP/1.1 with keep-alive.
 * Components register asynchronous handlers under a path prefix; a handler's future may complete
 * on any thread. Requests of one connection are handled as they arrive (pipelining included) and
 * answered in order; the event loop never waits for a handler. Native epoll when available, else NIO.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    /** Largest request accepted (bytes); the API takes its input in paths and query strings. */
    static final int MAX_REQUEST = 64 * 1024;

    /** Unanswered requests per connection before reading pauses (bounds a pipelining client's memory). */
    static final int MAX_PIPELINED = 16;

    /** A request: method, decoded path, query parameters, and whether JSON is preferred. */
    public record Request(String method, String path, Map<String, String> query, boolean wantsJson) {}

    /** A response: status, content type and body (UTF-8). */
    public record Response(int status, String contentType, String body) {
        public static Response text(int status, String body) {
            return new Response(status, "text/plain; charset=utf-8", body.endsWith("\n") ? body : body + "\n");
        }

        public static Response json(int status, String body) {
            return new Response(status, "application/json", body);
        }
    }

    /** Handles requests under one prefix. Called on a Netty event loop; must not block. */
    @FunctionalInterface
    public interface Handler {
        CompletableFuture<Response> handle(Request request);
    }

    private final EventLoopGroup group;
    private final Channel channel;
    /** Prefix to handler; the longest matching prefix wins. */
    private final ConcurrentSkipListMap<String, Handler> routes = new ConcurrentSkipListMap<>();

    private HttpApi(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Binds {@code address} (port 0: an ephemeral port) and starts serving. */
    public static HttpApi start(InetSocketAddress address) throws IOException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group =
                new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        HttpApi[] self = new HttpApi[1];
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(MAX_REQUEST))
                                .addLast(new Dispatcher(self));
                    }
                });
        try {
            Channel ch = b.bind(address).sync().channel();
            self[0] = new HttpApi(group, ch);
            return self[0];
        } catch (InterruptedException e) {
            group.shutdownGracefully();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + address, e);
        } catch (RuntimeException e) {
            group.shutdownGracefully();
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Serves {@code prefix} (e.g. {@code /ip}) and every path below it with {@code handler}. */
    public void route(String prefix, Handler handler) {
        routes.put(prefix, handler);
    }

    Handler find(String path) {
        for (Map.Entry<String, Handler> e : routes.descendingMap().entrySet()) {
            String p = e.getKey();
            if (path.equals(p) || (path.startsWith(p) && (p.endsWith("/") || path.charAt(p.length()) == '/'))) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * One per connection, on its event loop. Requests are dispatched as they arrive (HTTP/1.1
     * pipelining included); responses go out in request order: each waits in {@link #pending} until
     * it and everything before it is ready. Completions from other threads hop to the event loop, so
     * the queue is touched by one thread only and the event loop never blocks on a handler. Reading
     * pauses only while {@value #MAX_PIPELINED} requests of one connection are unanswered.
     */
    private static final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final HttpApi[] api;
        private final ArrayDeque<Pending> pending = new ArrayDeque<>();
        /** A request asked for Connection: close; later pipelined requests are ignored. */
        private boolean closing;

        Dispatcher(HttpApi[] api) {
            this.api = api;
        }

        /** A request's slot in the response order; {@code response} is set on the event loop. */
        private static final class Pending {
            final boolean keepAlive;
            Response response;

            Pending(boolean keepAlive) {
                this.keepAlive = keepAlive;
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (closing) {
                return;
            }
            Pending p = new Pending(HttpUtil.isKeepAlive(req));
            pending.add(p);
            if (!p.keepAlive) {
                closing = true;
                ctx.channel().config().setAutoRead(false);
            } else if (pending.size() >= MAX_PIPELINED) {
                ctx.channel().config().setAutoRead(false);
            }
            CompletableFuture<Response> f = dispatch(req);
            f.whenComplete((r, e) -> {
                Response out = outcome(r, e);
                EventLoop loop = ctx.channel().eventLoop();
                if (loop.inEventLoop()) {
                    p.response = out;
                    writeReady(ctx);
                } else {
                    loop.execute(() -> {
                        p.response = out;
                        writeReady(ctx);
                    });
                }
            });
        }

        private CompletableFuture<Response> dispatch(FullHttpRequest req) {
            try {
                if (!req.decoderResult().isSuccess()) {
                    throw new IllegalArgumentException("malformed HTTP request");
                }
                QueryStringDecoder q = new QueryStringDecoder(req.uri(), StandardCharsets.UTF_8);
                Map<String, String> query = new LinkedHashMap<>();
                for (Map.Entry<String, List<String>> e : q.parameters().entrySet()) {
                    query.put(
                            e.getKey(),
                            e.getValue().isEmpty() ? "" : e.getValue().getLast());
                }
                String accept = req.headers().get(HttpHeaderNames.ACCEPT);
                boolean json =
                        (accept != null && accept.contains("application/json")) || "json".equals(query.get("format"));
                String path = q.path();
                Handler h = api[0].find(path);
                return h == null
                        ? CompletableFuture.completedFuture(Response.text(404, "no such endpoint: " + path))
                        : h.handle(new Request(req.method().name(), path, query, json));
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(Response.text(400, "bad request: " + e.getMessage()));
            }
        }

        private static Response outcome(Response r, Throwable e) {
            if (e != null || r == null) {
                return Response.text(500, "internal error: " + e);
            }
            return r;
        }

        /** Writes the ready responses at the head of the queue, in order, with one flush. */
        private void writeReady(ChannelHandlerContext ctx) {
            boolean wrote = false;
            while (!pending.isEmpty() && pending.peek().response != null) {
                Pending p = pending.poll();
                Response out = p.response;
                FullHttpResponse resp = new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1,
                        HttpResponseStatus.valueOf(out.status()),
                        ByteBufUtil.writeUtf8(ctx.alloc(), out.body()));
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, out.contentType());
                HttpUtil.setContentLength(resp, resp.content().readableBytes());
                if (!p.keepAlive) {
                    pending.clear();
                    ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.write(resp, ctx.voidPromise());
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
            if (!closing
                    && pending.size() < MAX_PIPELINED
                    && !ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("HTTP API connection error: {}", cause.toString());
            ctx.close();
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}

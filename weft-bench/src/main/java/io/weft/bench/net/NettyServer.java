package io.weft.bench.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.PlatformDependent;
import io.weft.bench.Args;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Netty 4.2 peer of weft's HttpHello and EchoServer: one event loop
 * thread (it accepts and serves), on the epoll or the io_uring transport;
 * with {@code --threads N}, N loops in one group, one of them also accepting
 * and the connections dealt to all in turn.
 *
 * <p>HTTP as Netty's own plaintext benchmark server does it:
 * {@link HttpServerCodec}, a response with prebuilt headers (Date refreshed
 * every second by a task on the loop) and a shared body, written in
 * {@code channelRead} and flushed once in {@code channelReadComplete}, so
 * pipelined requests read together are answered with one write. Keep-alive
 * unless the request says otherwise. Echo writes back each buffer it reads,
 * flushed the same way.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp weft-bench/target/benchmarks.jar io.weft.bench.net.NettyServer \
 *      [--transport epoll|io_uring] [--app http|echo] [--port 8080] [--host 127.0.0.1] [--threads 1]
 * </pre>
 */
public final class NettyServer {
    private NettyServer() {
    }

    private static final AsciiString SERVER = AsciiString.cached("Server");
    private static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    private static final AsciiString DATE = AsciiString.cached("Date");
    private static final ByteBuf BODY = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer().writeBytes(HelloResponse.BODY.getBytes(StandardCharsets.US_ASCII)));

    public static void main(String[] argv) throws Exception {
        Args a = Args.parse(argv, Set.of("transport", "app", "port", "host", "threads"));
        String transport = a.get("transport", "epoll");
        String app = a.get("app", "http");
        int port = a.getInt("port", 8080);
        String host = a.get("host", "127.0.0.1");
        int threads = a.getInt("threads", 1);
        if (threads < 1) {
            throw new IllegalArgumentException("--threads " + threads + ": expected at least 1");
        }

        IoHandlerFactory io;
        Class<? extends ServerChannel> channel;
        switch (transport) {
            case "epoll" -> {
                Epoll.ensureAvailability();
                io = EpollIoHandler.newFactory();
                channel = EpollServerSocketChannel.class;
            }
            case "io_uring", "uring" -> {
                IoUring.ensureAvailability();
                io = IoUringIoHandler.newFactory();
                channel = IoUringServerSocketChannel.class;
            }
            default -> throw new IllegalArgumentException("--transport " + transport + ": expected epoll or io_uring");
        }
        ChannelHandler handler = switch (app) {
            case "http" -> new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new HelloHandler());
                }
            };
            case "echo" -> new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new EchoHandler());
                }
            };
            default -> throw new IllegalArgumentException("--app " + app + ": expected http or echo");
        };

        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, io);
        try {
            if (app.equals("http")) {
                group.scheduleAtFixedRate(HelloHandler::refreshDate, 1, 1, TimeUnit.SECONDS);
            }
            var ch = new ServerBootstrap().group(group).channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(handler)
                    .bind(host, port).sync().channel();
            System.out.println(app + ": listening on " + ch.localAddress() + " (netty " + transport
                    + ", " + threads + " event loop(s), unsafe " + PlatformDependent.hasUnsafe() + ", allocator "
                    + ch.config().getAllocator().getClass().getSimpleName() + ")");
            ch.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /** HTTP: one response per request; the headers are shared and replaced once a second on the loop. */
    static final class HelloHandler extends ChannelInboundHandlerAdapter {
        private static volatile HttpHeaders headers = headers();

        private static HttpHeaders headers() {
            HttpHeaders h = new DefaultHttpHeaders(false);
            h.add(SERVER, "netty");
            h.add(CONTENT_TYPE, "text/plain");
            h.add(CONTENT_LENGTH, HelloResponse.BODY.length());
            h.add(DATE, HelloResponse.date());
            return h;
        }

        static void refreshDate() {
            headers = headers();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest req) {
                    if (req.decoderResult().isFailure()) {
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(HelloResponse.error(400)))
                                .addListener(ChannelFutureListener.CLOSE);
                        return;
                    }
                    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            BODY.duplicate(), headers, EmptyHttpHeaders.INSTANCE);
                    if (HttpUtil.isKeepAlive(req)) {
                        ctx.write(resp, ctx.voidPromise());
                    } else {
                        ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Echo: writes back every buffer as it arrives, one flush per read burst. */
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

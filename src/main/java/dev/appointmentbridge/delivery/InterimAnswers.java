package dev.appointmentbridge.delivery;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Drops interim answers ({@code 102 Processing} and any other 1xx but 100, 101 and 103, which Vert.x handles itself)
 * between the HTTP/1.1 decoder and Vert.x, so the final answer that follows is the one the request gets (RFC 9110
 * §15.2: a client must read one or more 1xx before the final answer, even unasked). Vert.x 4.5 takes them for the
 * final answer. However many come, the attempt's deadline still bounds the wait.
 */
final class InterimAnswers extends ChannelInboundHandlerAdapter {

    private boolean dropping;

    /** Installs the filter on a new HTTP/1.1 client connection (a connection Vert.x did not build on Netty: none). */
    static void install(HttpConnection connection) {
        if (connection instanceof ConnectionBase base && base.channelHandlerContext().pipeline().get("codec") != null) {
            base.channelHandlerContext().pipeline().addAfter("codec", "interim-answers", new InterimAnswers());
        }
    }

    static boolean interim(int status) {
        return status > 101 && status < 200 && status != 103;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse response && interim(response.status().code())) {
            dropping = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
            return;
        }
        if (dropping && msg instanceof HttpContent) {
            dropping = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}

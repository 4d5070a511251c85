package dev.appointmentbridge.delivery.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Answers as HTTP/1.1 frames them, between Netty's decoder and Vert.x on each target connection:
 * <ul>
 * <li>interim answers ({@code 102 Processing} and any other 1xx but 100, 101 and 103, which Vert.x handles itself)
 * are dropped, so the final answer that follows is the one the request gets (RFC 9110 §15.2: a client must read one
 * or more 1xx before the final answer, even unasked); Vert.x 4.5 takes them for the final answer. However many come,
 * the attempt's deadline still bounds the wait;</li>
 * <li>a {@code 204}, {@code 205} or {@code 304} that declares a body (which it cannot have) is marked
 * {@code Connection: close}: the decoder reads no body for it, so those bytes would be read as the next answer on the
 * pooled connection, failing a request the receiver answered. Vert.x then closes the connection as the answer ends,
 * before it could be handed to another request, and what follows on it is dropped. (A chunked body on such an answer
 * is not seen: Netty's decoder removes its Transfer-Encoding; its bytes then fail the next request on that connection
 * before it is sent, which is retried.)</li>
 * </ul>
 */
final class ResponseFraming extends ChannelInboundHandlerAdapter {

    private boolean dropping;
    /** The answer being read declared a body it cannot have: the connection ends with it. */
    private boolean broken;
    private boolean discarding;

    /** Installs the filter on a new HTTP/1.1 client connection (a connection Vert.x did not build on Netty: none). */
    static void install(HttpConnection connection) {
        if (connection instanceof ConnectionBase base && base.channelHandlerContext().pipeline().get("codec") != null) {
            base.channelHandlerContext().pipeline().addAfter("codec", "response-framing", new ResponseFraming());
        }
    }

    static boolean interim(int status) {
        return status > 101 && status < 200 && status != 103;
    }

    static boolean bodiless(int status) {
        return status == 204 || status == 205 || status == 304;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (discarding) { // what follows a broken frame is not an answer to anything
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            int status = response.status().code();
            if (interim(status)) {
                dropping = !(msg instanceof LastHttpContent);
                ReferenceCountUtil.release(msg);
                return;
            }
            if (bodiless(status) && declaresBody(response)) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                broken = true;
            }
        } else if (dropping && msg instanceof HttpContent) {
            dropping = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
            return;
        }
        boolean end = msg instanceof LastHttpContent;
        ctx.fireChannelRead(msg);
        if (broken && end) {
            discarding = true;
            ctx.close();
        }
    }

    private static boolean declaresBody(HttpResponse response) {
        String length = response.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        return response.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
                || length != null && !"0".equals(length.trim());
    }
}

package dev.appointmentbridge.inbound;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Issue 17: compressed request bodies. gzip and deflate (zlib or raw) are decoded and stored; a body that
 * inflates past the limit is a 413 (decoding stops at the limit); an unknown coding is a 415 with
 * Accept-Encoding; a corrupt stream is a 400; none of them is parsed as plain JSON.
 */
@QuarkusTest
class ContentEncodingTest {

    private static ValidatableResponse post(byte[] body, String encoding) {
        return given().contentType(ContentType.JSON).header("Content-Encoding", encoding).body(body)
                .when().post("/webhook/appointment").then();
    }

    private static byte[] event() {
        String id = InboundEventResourceTest.unique("enc");
        return InboundEventResourceTest.body("appointment.scheduled", id, "p-1", "2025-01-10T12:30:00Z")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] plain, boolean raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            d.write(plain);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = { "gzip", "GZIP", "x-gzip", "gzip, identity", " gzip " })
    void gzipBodiesAreStored(String coding) throws IOException {
        post(gzip(event()), coding).statusCode(201).body("event_id", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void deflateBodiesAreStoredZlibOrRaw() throws IOException {
        post(deflate(event(), false), "deflate").statusCode(201);
        post(deflate(event(), true), "deflate").statusCode(201);
    }

    @Test
    void stackedCodingsAreDecodedInReverseOrder() throws IOException {
        post(gzip(deflate(event(), false)), "deflate, gzip").statusCode(201);
    }

    @Test
    void aBombIsRefusedAs413() throws IOException {
        byte[] bomb = gzip(new byte[16 * 1024 * 1024]); // 16 MiB of zeros in ~16 KiB, under the 64 KiB limit
        org.junit.jupiter.api.Assertions.assertTrue(bomb.length < 65536, "the compressed body itself is small");
        post(bomb, "gzip").statusCode(413).body("errors[0].type", equalTo("body_too_large"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "br", "zstd", "compress", "gzip, br", "bogus" })
    void anUnknownCodingIs415WithAcceptEncoding(String coding) {
        post(event(), coding).statusCode(415).header("Accept-Encoding", "gzip, deflate")
                .body("errors[0].loc[1]", equalTo("Content-Encoding"))
                .body("errors[0].msg", containsString("gzip, deflate"));
    }

    /** Review findings: several header fields are one list; empty items are skipped; the list is capped. */
    @Test
    void everyContentEncodingFieldCountsAndLongListsAreRefused() throws IOException {
        given().contentType(ContentType.JSON).header("Content-Encoding", "gzip").header("Content-Encoding", "br")
                .body(gzip(event())).post("/webhook/appointment").then().statusCode(415);
        given().contentType(ContentType.JSON).header("Content-Encoding", "gzip").header("Content-Encoding", "gzip")
                .body(gzip(gzip(event()))).post("/webhook/appointment").then().statusCode(201);
        post(gzip(event()), ", gzip").statusCode(201);
        post(gzip(gzip(gzip(gzip(event())))), "gzip, gzip, gzip, gzip").statusCode(415)
                .header("Accept-Encoding", "gzip, deflate");
    }

    @Test
    void aCorruptStreamIs400NotInvalidJson() {
        post("{\"not\":\"gzip\"}".getBytes(StandardCharsets.UTF_8), "gzip").statusCode(400)
                .body("errors[0].type", equalTo("content_encoding_invalid"));
    }
}

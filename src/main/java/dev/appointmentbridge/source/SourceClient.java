package dev.appointmentbridge.source;

import java.io.InputStream;

import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.jboss.resteasy.reactive.RestResponse;

import io.quarkus.rest.client.reactive.Url;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;

/**
 * One source's REST API (FHIR or JSON) as a Quarkus REST client, built per source by {@link SourceRegistry} with
 * its timeouts and TLS. The full URL is passed per call because {@code next} links are the server's own
 * (checked against the source's origin by {@link SourceHttp} before they are requested).
 *
 * <p>{@code Cache-Control: no-cache} on every request: HAPI FHIR reuses the id list of an identical search
 * for 60 s (its {@code reuse_cached_search_results_millis} default) unless the client asks it not to.
 */
public interface SourceClient {

    /**
     * @param authorization {@code Bearer ...}, or null to send none
     * @return the response with its body as a stream, so {@link SourceHttp} can stop reading at
     *         {@code max-page-bytes} instead of holding whatever the server sends
     */
    @GET
    @ClientHeaderParam(name = "Accept", value = "application/fhir+json, application/json")
    @ClientHeaderParam(name = "Cache-Control", value = "no-cache")
    RestResponse<InputStream> get(@Url String url, @HeaderParam("Authorization") String authorization);
}

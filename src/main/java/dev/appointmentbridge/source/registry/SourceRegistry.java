package dev.appointmentbridge.source.registry;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.appointmentbridge.source.SourceKind;

import dev.appointmentbridge.source.PolledSource;
import dev.appointmentbridge.source.SourceClient;
import dev.appointmentbridge.config.SourcesConfig;
import dev.appointmentbridge.source.fhir.FhirSource;
import dev.appointmentbridge.source.json.JsonSource;
import dev.appointmentbridge.source.json.UrlTemplate;
import dev.appointmentbridge.source.http.SourceToken;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientConfigBuilder;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.runtime.OidcClientConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The configured sources, each with its own REST client (base URL, timeouts, TLS configuration) and
 * credentials, built once at startup. A source with OAuth2 gets a named OIDC client whose id is the source's
 * name.
 */
@io.quarkus.runtime.Startup // a source that cannot work stops the start, polling on or off
@ApplicationScoped
public class SourceRegistry {

    @Inject
    SourcesConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    OidcClients oidcClients;

    @Inject
    TlsConfigurationRegistry tls;

    private final Map<String, PolledSource> sources = new TreeMap<>();

    @PostConstruct
    void build() {
        for (Map.Entry<String, SourcesConfig.Source> e : config.sources().entrySet()) {
            String name = e.getKey();
            SourcesConfig.Source source = e.getValue();
            SourceKind.of(name, source, ConfigProvider.getConfig().getPropertyNames());
            String url = "fhir".equals(source.type())
                    ? source.baseUrl().orElseThrow(() -> new IllegalArgumentException("bridge.sources." + name
                            + ".base-url is required for type=fhir"))
                    : source.url().orElseThrow(() -> new IllegalArgumentException("bridge.sources." + name
                            + ".url is required for type=json"));
            SourceClient client = client(name, source, URI.create(UrlTemplate.fill(url, Map.of())));
            sources.put(name, "fhir".equals(source.type())
                    ? new FhirSource(name, source, client, mapper.reader(), token(name, source))
                    : new JsonSource(name, source, client, mapper.reader(), token(name, source)));
        }
    }

    /** The source's REST client; every call passes its full URL, {@code base} only anchors the client. */
    private SourceClient client(String name, SourcesConfig.Source source, URI base) {
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
                .baseUri(base)
                .connectTimeout(source.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(source.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false) // a redirect could carry the token to another origin
                .disableDefaultMapper(true); // statuses are judged by SourceHttp, not thrown as exceptions
        source.tlsConfigurationName().ifPresent(tlsName -> builder.tlsConfiguration(tls.get(tlsName)
                .orElseThrow(() -> new IllegalArgumentException("bridge.sources." + name
                        + ".tls-configuration-name: no quarkus.tls." + tlsName + ".* configuration"))));
        return builder.build(SourceClient.class);
    }

    private SourceToken token(String name, SourcesConfig.Source source) {
        if (source.auth().oauth2().isPresent()) {
            SourcesConfig.OAuth2 o = source.auth().oauth2().get();
            URI tokenUrl = URI.create(o.tokenUrl());
            boolean smart = SmartKeyCheck.check("bridge.sources." + name + ".", o);
            OidcClientConfigBuilder builder = new OidcClientConfigBuilder().id(name)
                    .authServerUrl(tokenUrl.getScheme() + "://" + tokenUrl.getRawAuthority())
                    .discoveryEnabled(false).tokenPath(o.tokenUrl())
                    .clientId(o.clientId())
                    .grant(OidcClientConfig.Grant.Type.CLIENT)
                    .connectionTimeout(source.requestTimeout());
            if (smart) {
                // SMART Backend Services: a client_assertion per token request (fresh jti, iat, exp), signed with the
                // key; iss = sub = client id (the OIDC client's default), aud = the token URL exactly, exp 4 minutes
                // ahead (SMART allows 5 at most), header kid = key-id.
                builder.credentials().jwt().keyFile(Path.of(o.privateKeyFile().get()).toAbsolutePath().toString())
                        .signatureAlgorithm(o.signatureAlgorithm().trim()).tokenKeyId(o.keyId().get().trim())
                        .audience(o.tokenUrl()).keepAudienceTrailingSlash(true).lifespan(240).endCredentials();
            } else {
                builder.credentials(o.clientSecret().get());
            }
            o.scope().ifPresent(scope -> builder.scopes(scope.split(" ")));
            OidcClient client = oidcClients.newClient(builder.build()).await().atMost(Duration.ofSeconds(30));
            return SourceToken.oauth2(client, source.requestTimeout());
        }
        return source.auth().bearerToken().map(SourceToken::bearer).orElse(SourceToken.none());
    }

    public Collection<PolledSource> all() {
        return sources.values();
    }

    public Optional<PolledSource> find(String name) {
        return Optional.ofNullable(sources.get(name));
    }
}

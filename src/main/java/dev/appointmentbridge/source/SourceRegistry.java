package dev.appointmentbridge.source;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The configured sources, each with its client, built once at startup. */
@ApplicationScoped
public class SourceRegistry {

    @Inject
    SourcesConfig config;

    @Inject
    ObjectMapper mapper;

    private final Map<String, FhirSource> sources = new TreeMap<>();

    @PostConstruct
    void build() {
        for (Map.Entry<String, SourcesConfig.Source> e : config.sources().entrySet()) {
            SourcesConfig.Source source = e.getValue();
            if (!"fhir".equals(source.type())) {
                throw new IllegalArgumentException("bridge.sources." + e.getKey() + ".type: only 'fhir' is supported");
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(source.connectTimeout())
                    .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NORMAL).build();
            sources.put(e.getKey(), new FhirSource(e.getKey(), source, http, mapper.reader(), Clock.systemUTC()));
        }
    }

    public Collection<FhirSource> all() {
        return sources.values();
    }

    public Optional<FhirSource> find(String name) {
        return Optional.ofNullable(sources.get(name));
    }
}

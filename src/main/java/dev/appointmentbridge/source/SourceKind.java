package dev.appointmentbridge.source;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.appointmentbridge.config.SourcesConfig;

/**
 * The four kinds of source ({@code type} × {@code mode}) and the keys each takes, checked in one place at start: a
 * type or mode that does not exist, or a key the kind does not take (a JSON key on a FHIR source, a window key on
 * a cursor source that has no sweeps to use it), stops the start with one message that lists what the kind takes.
 * The same table is in docs/configuration.md, "Add a source".
 */
public enum SourceKind {

    FHIR_CURSOR("FHIR cursor", "fhir", "cursor", List.of("base-url", "page-size", "include-patient", "scopes",
            "search-params", "cursor-overlap", "detect-deletes", "reconcile.interval", "window.back", "window.ahead",
            "window.slice", "window.min-ratio")),
    FHIR_WINDOW("FHIR window", "fhir", "window", List.of("base-url", "page-size", "include-patient", "scopes",
            "search-params", "window.back", "window.ahead", "window.slice", "window.min-ratio")),
    JSON_CHANGED_SINCE("JSON changed-since", "json", "changed-since", List.of("url", "items", "next", "error-pointer",
            "item-url", "fields.*", "status-map.*", "cursor-overlap", "reconcile.interval", "reconcile.url",
            "window.back", "window.ahead", "window.slice", "window.min-ratio")),
    JSON_WINDOW("JSON window", "json", "window", List.of("url", "items", "next", "error-pointer", "item-url",
            "fields.*", "status-map.*", "window.back", "window.ahead", "window.slice", "window.min-ratio",
            "window.max-removals", "window.max-removal-share")),
    JSON_SYNC_TOKEN("JSON sync-token", "json", "sync-token", List.of("url", "items", "next", "error-pointer",
            "item-url", "fields.*", "status-map.*", "sync-token"));

    /** What every kind takes. */
    static final List<String> EVERY_SOURCE = List.of("type", "mode", "poll-interval", "emit-on-first-sync",
            "max-requests-per-second", "auth.*", "tls-configuration-name", "connect-timeout", "request-timeout",
            "max-page-bytes", "max-pages");

    private final String label;
    private final String type;
    private final String mode;
    private final List<String> own;

    SourceKind(String label, String type, String mode, List<String> own) {
        this.label = label;
        this.type = type;
        this.mode = mode;
        this.own = own;
    }

    public String mode() {
        return mode;
    }

    /**
     * The kind of source {@code name}, after checking that it takes every key set for it.
     *
     * @param propertyNames the configuration's property names, to find keys set to their default value
     */
    public static SourceKind of(String name, SourcesConfig.Source source, Iterable<String> propertyNames) {
        String prefix = "bridge.sources." + name + ".";
        if (!"fhir".equals(source.type()) && !"json".equals(source.type())) {
            throw new IllegalArgumentException(prefix + "type: '" + source.type() + "' is not a source type; fhir or "
                    + "json");
        }
        String mode = source.mode().orElse("fhir".equals(source.type()) ? "cursor" : "changed-since");
        SourceKind kind = null;
        List<String> modes = new ArrayList<>();
        for (SourceKind k : values()) {
            if (k.type.equals(source.type())) {
                modes.add(k.mode);
                if (k.mode.equals(mode)) {
                    kind = k;
                }
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException(prefix + "mode: '" + mode + "' is not a mode of type=" + source.type()
                    + "; " + String.join(" or ", modes));
        }
        Set<String> foreign = new TreeSet<>(keysSet(prefix, source, propertyNames));
        foreign.removeAll(kind.takes());
        if (!foreign.isEmpty()) {
            throw new IllegalArgumentException("bridge.sources." + name + " is a " + kind.label + " source (type="
                    + kind.type + ", mode=" + kind.mode + "), which does not take " + String.join(", ", foreign)
                    + ". A " + kind.label + " source takes: " + String.join(", ", kind.takes()));
        }
        return kind;
    }

    /** The keys (after {@code bridge.sources.<name>.}) this kind takes, its own first. */
    public List<String> takes() {
        Set<String> all = new LinkedHashSet<>(own);
        all.addAll(EVERY_SOURCE);
        return List.copyOf(all);
    }

    /** Keys set for the source: from the mapping where a key has no default, else from the property names. */
    static Set<String> keysSet(String prefix, SourcesConfig.Source s, Iterable<String> propertyNames) {
        Set<String> set = new TreeSet<>();
        present(set, "base-url", s.baseUrl());
        present(set, "url", s.url());
        present(set, "scopes", s.scopes());
        present(set, "search-params", s.searchParams());
        present(set, "item-url", s.itemUrl());
        present(set, "items", s.items());
        present(set, "next", s.next());
        present(set, "cursor-overlap", s.cursorOverlap());
        present(set, "window.slice", s.window().slice());
        present(set, "reconcile.url", s.reconcile().url());
        if (!s.fields().isEmpty()) {
            set.add("fields.*");
        }
        if (!s.statusMap().isEmpty()) {
            set.add("status-map.*");
        }
        for (String property : propertyNames) {
            if (property.startsWith(prefix)) {
                String key = property.substring(prefix.length());
                int dot = key.indexOf('.');
                String head = dot < 0 ? key : key.substring(0, dot);
                set.add(switch (head) {
                    case "fields", "status-map", "auth" -> head + ".*";
                    default -> key;
                });
            }
        }
        return set;
    }

    private static void present(Set<String> set, String key, Optional<?> value) {
        if (value.isPresent()) {
            set.add(key);
        }
    }
}

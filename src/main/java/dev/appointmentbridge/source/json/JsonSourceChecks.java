package dev.appointmentbridge.source.json;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonPointer;

import dev.appointmentbridge.config.SourcesConfig;
import dev.appointmentbridge.source.PolledSource.Mode;
import dev.appointmentbridge.source.WindowChecks;

/** A JSON source's start-time checks: each refusal names its setting. */
final class JsonSourceChecks {

    /** The paging rules of {@code next}. */
    enum Paging {
        NONE, LINK, PAGE_PARAM, CURSOR_TOKEN
    }

    /** What the checks settled: the mode and how pages follow one another. */
    record Checked(Mode mode, Paging paging, JsonPointer nextPointer) {
    }

    private JsonSourceChecks() {
    }

    /** @throws IllegalArgumentException naming the setting, when the configuration cannot work */
    static Checked check(String prefix, SourcesConfig.Source config, String url) {
        String modeName = config.mode().orElse("changed-since");
        Mode mode = switch (modeName) {
            case "changed-since" -> Mode.CURSOR;
            case "window" -> Mode.WINDOW;
            case "sync-token" -> Mode.SYNC_TOKEN;
            default -> throw new IllegalArgumentException(prefix + "mode: '" + modeName
                    + "' is not a JSON source mode; changed-since, window or sync-token");
        };
        if (mode == Mode.CURSOR && !config.fields().containsKey("updated")) {
            throw new IllegalArgumentException(prefix + "fields.updated is required for mode=changed-since");
        }
        if (mode == Mode.SYNC_TOKEN) {
            // url without {cursor}: the tokens are URLs (Microsoft Graph's @odata.deltaLink), followed as given.
            if (config.syncToken().isEmpty()) {
                throw new IllegalArgumentException(prefix + "sync-token (a JSON Pointer to the token in a listing's"
                        + " last page) is required for mode=sync-token");
            }
            if (config.itemUrl().isEmpty()) {
                throw new IllegalArgumentException(prefix + "item-url is required for mode=sync-token: after a full"
                        + " listing, what it lacks is read by id before it is cancelled");
            }
            JsonItemMapper.pointer(prefix + "sync-token", config.syncToken().get());
        }
        if (mode == Mode.WINDOW && !(url.contains("{from}") && url.contains("{to}"))) {
            throw new IllegalArgumentException(prefix + "url needs {from} and {to} for mode=window");
        }
        java.util.Optional<String> sweepUrl = config.reconcile().url();
        if (sweepUrl.isPresent()) {
            String r = sweepUrl.get();
            if (mode != Mode.CURSOR) {
                throw new IllegalArgumentException(prefix + "reconcile.url is for mode=changed-since; a window source "
                        + "scans its whole window every cycle");
            }
            if (!(r.contains("{from}") && r.contains("{to}"))) {
                throw new IllegalArgumentException(prefix + "reconcile.url needs {from} and {to}");
            }
            UrlTemplate.placeholders(prefix + "reconcile.url", r, java.util.Set.of("page", "from", "to"));
            URI list = URI.create(UrlTemplate.fill(url, Map.of()));
            URI sweep = URI.create(UrlTemplate.fill(r, Map.of()));
            if (!Objects.equals(list.getScheme(), sweep.getScheme()) || !Objects.equals(list.getHost(), sweep.getHost())
                    || list.getPort() != sweep.getPort()) {
                throw new IllegalArgumentException(prefix + "reconcile.url must be on the same origin as url (the "
                        + "source's credentials go to that origin only)");
            }
        }
        WindowChecks.check(prefix, config, config.window().slice().orElse(null),
                mode == Mode.WINDOW || sweepUrl.isPresent() && !config.reconcile().interval().isZero());
        if (config.scopes().isPresent() || config.searchParams().isPresent()) {
            throw new IllegalArgumentException(prefix + (config.scopes().isPresent() ? "scopes" : "search-params")
                    + " is for FHIR sources; a JSON source's URL template carries its own parameters");
        }
        UrlTemplate.placeholders(prefix + "url", url, java.util.Set.of("cursor", "page", "from", "to"));
        config.itemUrl().ifPresent(item -> UrlTemplate.placeholders(prefix + "item-url", item, java.util.Set.of("id")));
        String next = config.next().orElse("");
        Paging paging;
        JsonPointer nextPointer;
        if (next.isEmpty()) {
            paging = Paging.NONE;
            nextPointer = null;
        } else if (next.equals("page-param")) {
            paging = Paging.PAGE_PARAM;
            nextPointer = null;
        } else if (next.startsWith("cursor:")) {
            paging = Paging.CURSOR_TOKEN;
            nextPointer = JsonItemMapper.pointer(prefix + "next", next.substring("cursor:".length()));
        } else {
            paging = Paging.LINK;
            nextPointer = JsonItemMapper.pointer(prefix + "next", next);
        }
        if ((paging == Paging.PAGE_PARAM || paging == Paging.CURSOR_TOKEN) && !url.contains("{page}")) {
            throw new IllegalArgumentException(prefix + "url needs {page} for next=" + next);
        }
        if ((paging == Paging.PAGE_PARAM || paging == Paging.CURSOR_TOKEN) && sweepUrl.isPresent()
                && !sweepUrl.get().contains("{page}")) {
            throw new IllegalArgumentException(prefix + "reconcile.url needs {page} for next=" + next);
        }
        config.itemUrl().ifPresent(item -> {
            if (!item.contains("{id}")) {
                throw new IllegalArgumentException(prefix + "item-url needs {id}");
            }
        });
        return new Checked(mode, paging, nextPointer);
    }
}

package dev.appointmentbridge.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/** {@code bridge.sources.<name>.*}: the scheduling systems to poll, exactly as the design's contract. */
public interface SourcesConfig {

    @WithParentName
    Map<String, Source> sources();

    interface Source {

        /** {@code fhir} (R4 Appointment API) or {@code json} (a plain JSON REST API, mapped by the keys below). */
        @WithDefault("fhir")
        String type();

        /** FHIR: the server's base URL ({@code .../fhir}); required for {@code type=fhir}. */
        Optional<String> baseUrl();

        /**
         * JSON: the list URL template, required for {@code type=json}. Placeholders: {@code {cursor}} (ISO-8601 UTC
         * instant, empty on the first sync), {@code {page}} (1-based, or the cursor token), {@code {from}} and
         * {@code {to}} (window mode, ISO-8601 UTC instants). Values are URL-encoded.
         */
        Optional<String> url();

        /**
         * How changes are found. FHIR: {@code cursor} ({@code _lastUpdated}). JSON: {@code changed-since} (a cursor on
         * {@code fields.updated}) or {@code window} (every cycle scans appointments starting in
         * [now − window.back, now + window.ahead]; absence from a complete scan is a cancellation). Default: the
         * cursor mode of the type.
         */
        Optional<String> mode();

        Window window();

        /**
         * FHIR window mode: one search per scope, {@code location:<id>}, {@code practitioner:<id>} or
         * {@code patient:<id>} (Oracle Health Millennium takes exactly one of them per search). Unset: one search
         * without a scope. Cursor sources' reconciliation sweeps use the same scopes.
         */
        Optional<java.util.List<String>> scopes();

        /**
         * FHIR window mode and sweeps: fixed extra parameters on every window search, e.g.
         * {@code service-category=appointment} (a query string, values URL-encoded as given).
         */
        Optional<String> searchParams();

        Reconcile reconcile();

        /**
         * All requests to this source, polls, sweeps and reads by id together, are spaced to at most this many per
         * second (this replica's share; a source is polled by one replica at a time). 0 = no limit.
         */
        @WithDefault("10")
        double maxRequestsPerSecond();

        /** JSON: one appointment by id ({@code {id}}), to confirm an absence and for push-triggered fetches. */
        Optional<String> itemUrl();

        /**
         * JSON {@code mode=sync-token}: a JSON Pointer to the sync token in a listing's last page (Google Calendar's
         * {@code /nextSyncToken}); the URL template's {@code {cursor}} carries it back, empty for a full listing.
         */
        Optional<String> syncToken();

        /** JSON: JSON Pointer (RFC 6901) to the array of appointments in a page; unset: the page is the array. */
        Optional<String> items();

        /**
         * JSON: a JSON Pointer to the API's error envelope. A page where it is present and not null (nor an empty
         * array or object) fails, whatever else it carries: {@code 200 {"data": [], "error": {...}}} is a failure,
         * not an empty last page. Empty value: no envelope is checked.
         */
        @WithDefault("/error")
        String errorPointer();

        /**
         * JSON paging: a JSON Pointer to the next page's URL (followed until null or absent), {@code page-param}
         * ({@code {page}} counts up from 1 until a page has no items) or {@code cursor:<pointer>} (the token is
         * passed back as {@code {page}}). Unset: one page.
         */
        Optional<String> next();

        /**
         * JSON: JSON Pointer per canonical field: {@code id}, {@code status} (required), {@code start}, {@code end},
         * {@code duration} (minutes), {@code provider}, {@code location}, {@code patient-id},
         * {@code patient-first-name}, {@code patient-last-name}, {@code updated}, {@code replaces}.
         */
        Map<String, String> fields();

        /**
         * JSON: canonical status (FHIR Appointment.status code) → the API's words for it, e.g.
         * {@code status-map.booked=scheduled,confirmed}. A word not listed is quarantined, never guessed.
         */
        Map<String, java.util.List<String>> statusMap();

        @WithDefault("30s")
        Duration pollInterval();

        @WithDefault("100")
        int pageSize();

        @WithDefault("false")
        boolean emitOnFirstSync();

        /**
         * The cursor is moved back by this much so records written with a skewed clock, or committed after they were
         * stamped, are re-read (the snapshot hash makes the re-read nearly free). Unset: FHIR 2s; JSON 60s, since
         * such APIs often stamp {@code updated_at} when a transaction starts and commit it later.
         */
        Optional<Duration> cursorOverlap();

        /** Ask for {@code _include=Appointment:patient} to get patient names for the events. */
        @WithDefault("true")
        boolean includePatient();

        @WithDefault("5s")
        Duration connectTimeout();

        @WithDefault("30s")
        Duration requestTimeout();

        /** Most pages one cycle follows; a runaway {@code next} chain fails the cycle instead of looping. */
        @WithDefault("100000")
        int maxPages();

        /**
         * How deletes are noticed (FHIR deletes leave no trace in searches): {@code history} reads
         * {@code Appointment/_history?_since=} every cycle; {@code off} never. A server that answers 4xx to
         * {@code _history} turns it off for that source (one WARN, a flag on {@code /admin/sources}).
         */
        @WithDefault("history")
        DetectDeletes detectDeletes();

        /**
         * Largest response body read from this source (a page, a history page, one appointment); a larger
         * one fails the page instead of filling the heap. Sizes like {@code 32M}.
         */
        @WithDefault("32M")
        io.quarkus.runtime.configuration.MemorySize maxPageBytes();

        /** Name of a {@code quarkus.tls.<name>.*} configuration (trust store, client certificate) for this source. */
        Optional<String> tlsConfigurationName();

        Auth auth();
    }

    /** {@code bridge.sources.<name>.window.*}: the scanned range of a window-mode source. */
    interface Window {

        /** Scans start this far before now. */
        @WithDefault("1d")
        Duration back();

        /** Scans end this far after now. */
        @WithDefault("30d")
        Duration ahead();

        /**
         * A complete scan with fewer items than this fraction of the last complete one concludes nothing: an API
         * that suddenly answers half-empty is more likely failing than half the appointments gone.
         */
        @WithDefault("0.5")
        double minRatio();

        /**
         * Each scope's window is cut into slices of this length, aligned to multiples of it since the epoch (so a
         * slice is the same slice from one cycle to the next and its last complete scan is comparable). Unset:
         * FHIR 1d; JSON one search for the whole window.
         */
        Optional<Duration> slice();

        /**
         * Sources without reads by id ({@code item-url}): one scan cancels at most this many absent appointments, or
         * {@link #maxRemovalShare()} of the window's known ones if that is more; beyond it, every absence of the scan
         * waits for an operator's confirmation on {@code /admin/sources}.
         */
        @WithDefault("5")
        int maxRemovals();

        /** See {@link #maxRemovals()}: the share of the window's known open appointments one scan may cancel. */
        @WithDefault("0.1")
        double maxRemovalShare();
    }

    /** {@code bridge.sources.<name>.reconcile.*}: the window sweep under a cursor source. */
    interface Reconcile {

        /**
         * A cursor source's whole window (scopes × slices) is searched once per interval, spread over its
         * cycles; what differs from the snapshots is emitted with reason {@code reconciled}. 0 = off. The first
         * sweep starts one interval after the first sync.
         */
        @WithDefault("1h")
        Duration interval();

        /**
         * JSON {@code changed-since} sources: the API's window listing the sweep reads, a URL template with
         * {@code {from}}, {@code {to}} and {@code {page}}, paged and mapped like the source's {@code url} and on the
         * same origin. Unset: a JSON changed-since source has no sweeps.
         */
        Optional<String> url();
    }

    enum DetectDeletes {
        history, off
    }

    interface Auth {

        Optional<String> bearerToken();

        Optional<OAuth2> oauth2();
    }

    /**
     * OAuth2 {@code client_credentials}: with a {@code client-secret}, or, for SMART Backend Services (Epic and other
     * EHRs), with a {@code private-key-file} that signs a {@code client_assertion} JWT per token request. One of the
     * two, never both.
     */
    interface OAuth2 {

        String tokenUrl();

        String clientId();

        Optional<String> clientSecret();

        Optional<String> scope();

        /** PEM, unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}): RSA for RS384, EC P-384 for ES384. */
        Optional<String> privateKeyFile();

        /** The JWT header's {@code kid}: the key's id in the JWKS registered with the EHR. */
        Optional<String> keyId();

        /** {@code RS384} or {@code ES384}, as SMART Backend Services require. */
        @WithDefault("RS384")
        String signatureAlgorithm();
    }
}

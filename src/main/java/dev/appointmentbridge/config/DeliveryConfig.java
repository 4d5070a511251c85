package dev.appointmentbridge.config;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.WithDefault;

public interface DeliveryConfig {

    /** Delays before each retry after the first attempt; exhausted means dead. */
    @WithDefault("5s,5m,30m,2h,5h,10h,10h")
    List<Duration> retrySchedule();

    /** Each delay is moved by up to this fraction either way, so retries of many deliveries spread out. */
    @WithDefault("0.2")
    double jitter();

    /**
     * Requests in flight at once, over all targets. Four times a target's default share, so one target that
     * hangs leaves three quarters of the slots to the others.
     */
    @WithDefault("1024")
    int maxInFlight();

    /**
     * A claimed delivery becomes due again after this if its worker died mid-flight; never shorter than the
     * longest connect + request timeout of any target plus 5 s.
     */
    @WithDefault("2m")
    Duration lease();

    /**
     * After this long without a NOTIFY, the LISTEN connection must answer a check (2 s) or is replaced, so a
     * half-open connection cannot silently leave wake-ups to the backstop poll.
     */
    @WithDefault("10s")
    Duration listenerCheck();

    /** Outbox re-check when no NOTIFY arrives (missed notifications, due retries). */
    @WithDefault("5s")
    Duration backstopPoll();

    /** Longest Retry-After honoured. */
    @WithDefault("24h")
    Duration maxRetryAfter();

    /**
     * A 429, or a 503 with Retry-After, asks the bridge to slow down: the delivery waits as asked (the target gets
     * nothing until then, then one request at a time, doubling on success) and the attempt does not count against
     * {@code retry-schedule}. For at most this long after the delivery was stored; after that such answers count
     * as failed attempts like any other.
     */
    @WithDefault("24h")
    Duration maxPacing();

    @WithDefault("true")
    boolean enabled();

    /**
     * Targets resolving to loopback, private, link-local (cloud metadata), CGNAT, ULA, multicast, NAT64 or
     * IPv4-mapped forms of those are refused unless this is true (OutboundUrlGuard). The dev, test
     * and demo profiles set it; per target, {@code bridge.targets.<name>.allow-private}.
     */
    @WithDefault("false")
    boolean allowPrivateTargets();
}

package dev.appointmentbridge.delivery.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Issue 13: a short cache of checked addresses, filled off the caller's thread. */
class TargetAddressCacheTest {

    private static final long TTL = 30_000_000_000L;

    private final AtomicLong clock = new AtomicLong();
    private final AtomicInteger resolutions = new AtomicInteger();
    private final List<Runnable> queued = new ArrayList<>();

    private final TargetAddressCache cache = new TargetAddressCache((host, allowPrivate) -> {
        resolutions.incrementAndGet();
        return new OutboundUrlGuard.Checked(InetAddress.getLoopbackAddress(), null, false);
    }, queued::add, TTL, clock::get);

    @Test
    void theLookupRunsOnTheExecutorNotTheCaller() {
        var checked = cache.lookup("a.test", true);
        assertFalse(checked.isComplete(), "the caller did not resolve");
        assertEquals(0, resolutions.get());
        queued.forEach(Runnable::run);
        assertTrue(checked.succeeded());
        assertEquals(1, resolutions.get());
    }

    @Test
    void lookupsOfOneHostShareOneResolutionUntilTheTimeToLiveEnds() {
        var first = cache.lookup("a.test", true);
        var concurrent = cache.lookup("a.test", true);
        assertSame(first, concurrent, "a lookup in progress is shared");
        assertEquals(1, queued.size());
        queued.remove(0).run();
        clock.set(TTL - 1);
        assertSame(first, cache.lookup("a.test", true), "still fresh");
        assertTrue(queued.isEmpty());
        clock.set(TTL);
        var renewed = cache.lookup("a.test", true);
        assertEquals(1, queued.size(), "expired: resolved again");
        queued.remove(0).run();
        assertTrue(renewed.succeeded());
        assertEquals(2, resolutions.get());
    }

    @Test
    void theAllowPrivateFlagIsPartOfTheKey() {
        cache.lookup("a.test", true);
        cache.lookup("a.test", false);
        assertEquals(2, queued.size(), "a check with private addresses refused is not the allowed one's answer");
    }

    @Test
    void aResolverThatThrowsIsAnUnresolvableHostNotAHungAttempt() {
        TargetAddressCache failing = new TargetAddressCache((host, allow) -> {
            throw new IllegalStateException("boom");
        }, Runnable::run, TTL, clock::get);
        var checked = failing.lookup("a.test", false);
        assertTrue(checked.succeeded());
        assertTrue(checked.result().unresolvable());
    }
}

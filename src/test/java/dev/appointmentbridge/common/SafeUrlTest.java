package dev.appointmentbridge.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A target's URL as logs and /admin/targets show it: a capability URL's path is a secret. */
class SafeUrlTest {

    @Test
    void capabilityUrlsShowTheirHostAndAtMostAWordOfThePath() {
        assertEquals("https://hooks.slack.com/services/…",
                SafeUrl.origin("https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX"));
        assertEquals("https://hooks.zapier.com/hooks/…", SafeUrl.origin("https://hooks.zapier.com/hooks/catch/123/abc/"));
        assertEquals("https://contoso.webhook.office.com/webhookb2/…", SafeUrl.origin(
                "https://contoso.webhook.office.com/webhookb2/0c1d@72f9/IncomingWebhook/7a8b/0c1d"));
        assertEquals("https://portal.example.com/webhooks", SafeUrl.origin("https://portal.example.com/webhooks"));
        assertEquals("http://127.0.0.1:8089", SafeUrl.origin("http://127.0.0.1:8089/"));
        assertEquals("http://127.0.0.1:8089", SafeUrl.origin("http://127.0.0.1:8089"));
    }

    @Test
    void aFirstSegmentThatCouldBeATokenIsHiddenToo() {
        assertEquals("https://example.com/…", SafeUrl.origin("https://example.com/a8f3k2j9x7q1w5e4r6t0y8u2"));
        assertEquals("https://example.com/…", SafeUrl.origin("https://example.com/3f9a"));
        assertEquals("https://example.com/…", SafeUrl.origin("https://example.com/this-is-a-very-long-segment-name"));
        assertEquals("http://host/…", SafeUrl.origin("http://host/abcdefSECRETTEN"), "mixed case");
        assertEquals("http://host/…", SafeUrl.origin("http://host/deadbeefcafe"), "hexadecimal letters only");
        assertEquals("http://host/v1/…", SafeUrl.origin("http://host/v1/hook/abc"));
    }

    @Test
    void credentialsAndQueriesNeverShow() {
        assertEquals("https://example.com/hook", SafeUrl.origin("https://user:pass@example.com/hook?token=abc"));
        assertEquals("(unparseable URL)", SafeUrl.origin("not a url"));
    }
}

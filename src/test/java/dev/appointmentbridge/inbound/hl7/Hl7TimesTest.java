package dev.appointmentbridge.inbound.hl7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class Hl7TimesTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void anOffsetIsKeptAndAZoneLessTimeIsReadInTheFeedsZone() {
        assertEquals("2026-12-10T09:30Z", Hl7Times.parse("202612101030+0100", "SCH-11.4", null).toInstant()
                .toString().replace(":00Z", "Z"));
        assertEquals("2026-07-10T08:30:00Z", Hl7Times.parse("20260710103000", "SCH-11.4", BERLIN).toInstant()
                .toString());
    }

    @Test
    void aZoneLessTimeWithoutTheSettingIsRefusedNamingIt() {
        SiuException e = assertThrows(SiuException.class, () -> Hl7Times.parse("20261210103000", "AIS-4", null));
        assertTrue(e.getMessage().contains("AIS-4") && e.getMessage().contains(Hl7Times.ZONE_SETTING), e.getMessage());
    }

    @Test
    void daylightSavingGapsAndOverlapsAreRefusedNotGuessed() {
        assertTrue(assertThrows(SiuException.class, () -> Hl7Times.parse("20260329023000", "SCH-11.4", BERLIN))
                .getMessage().contains("does not exist"));
        assertTrue(assertThrows(SiuException.class, () -> Hl7Times.parse("20261025023000", "SCH-11.4", BERLIN))
                .getMessage().contains("exists twice"));
    }

    @Test
    void whatIsNoTimeToTheMinuteIsRefused() {
        for (String bad : new String[] { "20261210", "2026121010", "20261310103000", "20261210103000+2500", "abc" }) {
            assertThrows(SiuException.class, () -> Hl7Times.parse(bad, "SCH-11.4", BERLIN), bad);
        }
    }
}

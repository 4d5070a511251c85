-- Issue 24: versions are ordered by the source's version number (FHIR meta.versionId) where it gives one, not by
-- meta.lastUpdated: a server whose nodes' clocks drift dates version 2 before version 1. Nullable, no default: a
-- catalogue change only; existing snapshots compare by lastUpdated until their next change.
ALTER TABLE appointment_snapshot ADD COLUMN version_id BIGINT;

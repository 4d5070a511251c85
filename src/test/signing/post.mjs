// Posts COUNT events to the bridge's receiving endpoint, cycling through plain, gzip and deflate bodies,
// with non-ASCII notes; exits non-zero unless every one is answered 201.
// Usage: node post.mjs BRIDGE_URL COUNT PREFIX
import { gzipSync, deflateSync } from "node:zlib";

const [url, count, prefix] = process.argv.slice(2);
const codings = ["identity", "gzip", "deflate"];
let created = 0;
for (let i = 0; i < Number(count); i++) {
  const json = JSON.stringify({
    event_type: "appointment.scheduled",
    appointment_id: `${prefix}-${i}`,
    patient_id: `pat-${i}`,
    timestamp: "2026-12-01T09:30:00+01:00",
    notes: "Frühtermin – Ünïcødé ✓ 予約",
  });
  const coding = codings[i % codings.length];
  const body = coding === "gzip" ? gzipSync(json) : coding === "deflate" ? deflateSync(json) : Buffer.from(json);
  const headers = { "Content-Type": "application/json" };
  if (coding !== "identity") headers["Content-Encoding"] = coding;
  const res = await fetch(`${url}/webhook/appointment`, { method: "POST", headers, body });
  if (res.status !== 201) {
    console.error(`event ${i} (${coding}): HTTP ${res.status} ${await res.text()}`);
    process.exit(1);
  }
  created++;
}
console.log(`posted ${created} events (plain, gzip, deflate): all 201`);

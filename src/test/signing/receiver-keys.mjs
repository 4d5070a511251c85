// A webhook target that holds only one key at a time, as receivers do during a rotation: every delivery must verify
// with the current secret alone and with the previous secret alone (official `standardwebhooks` verifier), and its
// v1a signature with the whpk_ public key alone (Node's own Ed25519, crypto.verify). One line per request in the
// results file: "ok <webhook-id> <bridge-sequence>" or "fail <webhook-id> <reason>". Every 7th sequence number is
// refused once (500), so retries are part of the run.
// Usage: node receiver-keys.mjs PORT CURRENT_WHSEC PREVIOUS_WHSEC WHPK RESULTS_FILE
import { createServer } from "node:http";
import { appendFileSync } from "node:fs";
import { createPublicKey, verify } from "node:crypto";
import { Webhook } from "standardwebhooks";

const [port, current, previous, whpk, results] = process.argv.slice(2);
const raw = Buffer.from(whpk.replace(/^whpk_/, ""), "base64");
const publicKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" });
const refusedOnce = new Set();

function verifyEd25519(body, headers) {
  const signed = Buffer.from(`${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`, "utf8");
  const ok = (headers["webhook-signature"] ?? "").split(" ").filter((s) => s.startsWith("v1a,"))
    .some((s) => verify(null, signed, publicKey, Buffer.from(s.slice(4), "base64")));
  if (!ok) throw new Error("no v1a signature verifies with the public key");
}

createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const id = req.headers["webhook-id"] ?? "-";
    const seq = req.headers["bridge-sequence"] ?? "-";
    let line;
    try {
      new Webhook(current).verify(body, req.headers);
      new Webhook(previous).verify(body, req.headers);
      verifyEd25519(body, req.headers);
      line = `ok ${id} ${seq}`;
    } catch (e) {
      line = `fail ${id} ${e.message}`;
    }
    if (line.startsWith("ok") && Number(seq) % 7 === 0 && !refusedOnce.has(id)) {
      refusedOnce.add(id);
      appendFileSync(results, `refused ${id} ${seq}\n`);
      res.writeHead(500).end();
      return;
    }
    appendFileSync(results, line + "\n");
    res.writeHead(204).end();
  });
}).listen(Number(port), "127.0.0.1");

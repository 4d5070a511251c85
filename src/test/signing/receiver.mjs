// A webhook target that checks every delivery with the official Standard Webhooks verifier (npm
// `standardwebhooks`), exactly as a receiver following the spec would, and appends one line per request
// to the results file: "ok <webhook-id>" or "fail <webhook-id> <reason>". As a control, it also verifies a
// copy of each body with one byte changed, which must be rejected ("control-accepted" if it is not).
// Usage: node receiver.mjs PORT SECRET RESULTS_FILE
import { createServer } from "node:http";
import { appendFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";

const [port, secret, results] = process.argv.slice(2);
const wh = new Webhook(secret);

createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const id = req.headers["webhook-id"] ?? "-";
    let line;
    try {
      wh.verify(body, req.headers);
      line = `ok ${id}`;
      try {
        wh.verify(body.replace(/.$/, body.endsWith("}") ? " " : "}"), req.headers);
        line = `control-accepted ${id}`;
      } catch {
        // expected: a changed body must not verify
      }
    } catch (e) {
      line = `fail ${id} ${e.message}`;
    }
    appendFileSync(results, line + "\n");
    res.writeHead(204).end();
  });
}).listen(Number(port), "127.0.0.1");

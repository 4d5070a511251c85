// Prints the whpk_ public key of a whsk_ Ed25519 private key, derived by Node's own crypto (not the bridge's code),
// so the key /admin/targets shows can be checked against an independent derivation.
// Usage: node public-key.mjs WHSK
import { createPrivateKey, createPublicKey } from "node:crypto";

const seed = Buffer.from(process.argv[2].replace(/^whsk_/, ""), "base64");
const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
const jwk = createPublicKey(createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" })).export({ format: "jwk" });
console.log("whpk_" + Buffer.from(jwk.x, "base64url").toString("base64"));

import { randomBytes, randomUUID } from "node:crypto";
import { openKyselyStore } from "../src/store/kysely/index.js";
import { systemClock } from "../src/core/clock.js";
const url = process.argv[2]!;
const store = await openKyselyStore(url, { clock: systemClock });
const u = await store.users.create({ email: `a${Date.now()}@b.c`, username: null, passwordHash: null, webauthnUserHandle: randomUUID() });
const c = await store.credentials.create({ userId: u.id, credentialId: randomUUID(), publicKey: "pk", signCount: 0, transports: [], backupEligible: false, backupState: false, deviceType: "singleDevice", aaguid: "a", attestationFormat: "none", name: "n", usage: "first" });
const step: Record<string, number> = {};
async function t(name: string, f: () => Promise<unknown>) { const c0 = process.cpuUsage(); const w0 = performance.now(); await f(); const d = process.cpuUsage(c0); step[name] = (step[name] ?? 0) + d.user + d.system; step[name + ":wall"] = (step[name + ":wall"] ?? 0) + (performance.now() - w0) * 1000; }
const N = 3000;
for (let i = 0; i < N; i++) {
  const id = randomBytes(32).toString("base64url");
  await t("ceremony.create", () => store.ceremonies.create({ idHash: id, kind: "signin", userId: null, sessionId: null, challenge: "x", usage: null, name: null, data: { usages: ["first"] }, expiresAt: Date.now() + 60000 }));
  await t("ceremony.consume", () => store.ceremonies.consume(id, "signin"));
  await t("cred.byId", () => store.credentials.byCredentialId(c.credentialId));
  await t("users.byId", () => store.users.byId(u.id));
  await t("cred.recordUse", () => store.credentials.recordUse(c.id, { signCount: i, backupState: false, lastUsedAt: Date.now(), flags: [] }));
  await t("sessions.create", () => store.sessions.create({ idHash: randomBytes(32).toString("base64url"), userId: u.id, expiresAt: Date.now() + 1e9, amr: ["hwk"], aal: 2, uv: true, ip: "127.0.0.1", userAgent: null }));
  await t("events.add", () => store.events.add({ userId: u.id, type: "webauthn.signin", at: Date.now(), ip: "127.0.0.1", detail: { a: 1 } }));
}
let total = 0;
for (const [k, v] of Object.entries(step)) if (!k.endsWith(":wall")) { total += v; console.log(k.padEnd(18), "cpu µs", (v / N).toFixed(1), "wall µs", (step[k + ":wall"]! / N).toFixed(1)); }
console.log(url, "total cpu µs per sign-in", (total / N).toFixed(0));
await store.close();

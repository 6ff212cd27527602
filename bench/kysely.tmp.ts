import { sql } from "kysely";
import { systemClock } from "../src/core/clock.js";
import { openKyselyStore } from "../src/store/kysely/index.js";

const store = await openKyselyStore("sqlite::memory:", { clock: systemClock });
const u = await store.users.create({
  email: "a@b.c",
  username: null,
  passwordHash: null,
  webauthnUserHandle: "h",
});
await store.credentials.create({
  userId: u.id,
  credentialId: "cid",
  publicKey: "pk",
  signCount: 0,
  transports: [],
  backupEligible: false,
  backupState: false,
  deviceType: "singleDevice",
  aaguid: "a",
  attestationFormat: "none",
  name: "n",
  usage: "first",
});
async function time(label: string, f: () => Promise<unknown>) {
  for (let i = 0; i < 2000; i++) await f();
  const c0 = process.cpuUsage();
  const n = 20000;
  for (let i = 0; i < n; i++) await f();
  const c = process.cpuUsage(c0);
  console.log(label, ((c.user + c.system) / n).toFixed(1), "µs CPU");
}
await time("credentials.byCredentialId", () => store.credentials.byCredentialId("cid"));
await time("users.byId", () => store.users.byId(u.id));
await time("events.add", () =>
  store.events.add({ userId: u.id, type: "x", at: 1, ip: null, detail: { a: 1 } }),
);
await store.close();

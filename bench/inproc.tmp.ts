import { createKeyward } from "../src/index.js";
import { SoftwareAuthenticator } from "../src/testing/index.js";

const origin = "http://localhost:9999";
const db = process.argv[2] ?? "sqlite::memory:";
const auth = await createKeyward({
  rp: { id: "localhost", name: "x", origins: [origin] },
  database: db,
  secret: "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
  accounts: { allowPasswordless: true },
  env: {},
});
const base = "http://127.0.0.1:9999/auth";
const post = async (path: string, body: unknown, cookie?: string) => {
  const r = await auth.fetch(
    new Request(base + path, {
      method: "POST",
      headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    }),
  );
  return { status: r.status, body: (await r.json()) as any, cookie: r.headers.getSetCookie() };
};
const reg = await post("/register", { email: "a@b.example" });
const cookie = reg.cookie[0]!.split(";")[0]!;
const a = new SoftwareAuthenticator({ origin });
const s = await post("/wan-register", { name: "k", usage: "first" }, cookie);
const cred = await a.register(s.body.options);
const d = await post("/wan-register-response", { state: s.body.state, credential: cred }, cookie);
if (d.status !== 201) throw new Error(JSON.stringify(d.body));
let n = 0;
let serverMicros = 0;
let w1 = 0,
  w2 = 0,
  w3 = 0;
const t0 = performance.now();
while (performance.now() - t0 < Number(process.argv[3] ?? 4000)) {
  const c0 = process.cpuUsage();
  const t1 = performance.now();
  const st = await post("/wan-signin", {});
  const c1 = process.cpuUsage(c0);
  const t2 = performance.now();
  const assertion = await a.authenticate(st.body.options);
  const c2 = process.cpuUsage();
  const t3 = performance.now();
  const done = await post("/wan-signin-response", { state: st.body.state, credential: assertion });
  const c3 = process.cpuUsage(c2);
  const t4 = performance.now();
  w1 += t2 - t1;
  w2 += t3 - t2;
  w3 += t4 - t3;
  if (done.status !== 200) throw new Error(JSON.stringify(done.body));
  serverMicros += c1.user + c1.system + c3.user + c3.system;
  n++;
}
const wall = performance.now() - t0;
console.log(
  "wall µs: signin",
  ((w1 / n) * 1000).toFixed(0),
  "authenticate",
  ((w2 / n) * 1000).toFixed(0),
  "response",
  ((w3 / n) * 1000).toFixed(0),
);
console.log(
  db,
  "sign-ins/s",
  ((n / wall) * 1000).toFixed(0),
  "server-side CPU µs per sign-in",
  (serverMicros / n).toFixed(0),
);
await auth.close();

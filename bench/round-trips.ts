/**
 * `npx tsx bench/round-trips.ts [--redis]`: counts what one passkey sign-in asks of PostgreSQL
 * (queries sent, transactions committed) and of Redis (commands), by wrapping the drivers'
 * send functions in this process. Counts, not timings: they hold on a busy machine. Also the
 * CPU time of the PostgreSQL backends per sign-in, the sign-ins run one at a time (backends
 * found by application_name, read from /proc in 10 ms ticks): steadier under outside load
 * than the concurrent bench's, as nothing else runs on those backends.
 */
import { createServer } from "node:http";
import { type AddressInfo, Socket } from "node:net";
import pg from "pg";
import { createKeyward } from "../src/index.js";
import { toNodeHandler } from "../src/node.js";
import { BenchClient, registerPasskey, signInWithPasskey } from "./load.js";
import { procCpuMicros } from "./proc-cpu.js";
import { seedSignedInUsers } from "./seed.js";

const POSTGRES_URL = process.env.KEYWARD_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.KEYWARD_TEST_REDIS ?? "redis://127.0.0.1:6379";
const withRedis = process.argv.includes("--redis");
const postgresPort = Number(new URL(POSTGRES_URL).port || 5432);
const redisPort = Number(new URL(REDIS_URL).port || 6379);
const SIGNINS = 300;

const counts = {
  queries: 0,
  roundTrips: 0,
  commits: 0,
  writes: 0,
  redis: 0,
  redisWrites: 0,
  waits: 0,
};

// Sign-ins run one at a time here, so a request to PostgreSQL or Redis sent while none is
// outstanding starts a wait the sign-in cannot overlap with another: the sequential waits a
// sign-in's latency is made of (requests sent together, to one store or both, share one).
let outstandingAnywhere = 0;
function awaiting<T>(reply: Promise<T>): Promise<T> {
  if (outstandingAnywhere === 0) counts.waits += 1;
  outstandingAnywhere += 1;
  const settle = () => {
    outstandingAnywhere -= 1;
  };
  reply.then(settle, settle);
  return reply;
}
const inFlight = new WeakMap<object, number>();
const texts = new Map<string, number>();
const inTransaction = new WeakSet<object>();
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0];
  const text = typeof first === "string" ? first : ((first as { text?: string })?.text ?? "?");
  counts.queries += 1;
  // A statement sent while none is outstanding on its connection starts a round trip; one
  // pipelined behind another rides along. Autocommit statements and COMMITs each commit.
  const outstanding = inFlight.get(this) ?? 0;
  if (outstanding === 0) counts.roundTrips += 1;
  inFlight.set(this, outstanding + 1);
  // A commit is a COMMIT, or a write sent outside a transaction (it commits on its own); a
  // read outside a transaction writes nothing to PostgreSQL's log.
  if (/^\s*(begin|start transaction)/i.test(text)) inTransaction.add(this);
  else if (/^\s*commit/i.test(text)) counts.commits += 1;
  else if (!inTransaction.has(this) && !/^\s*(select|rollback)/i.test(text)) counts.commits += 1;
  if (/^\s*(commit|rollback)/i.test(text)) inTransaction.delete(this);
  // Named statements are prepared once per connection; unnamed ones are parsed every time.
  const named = typeof first === "object" && (first as { name?: string })?.name ? "named " : "";
  const shown = `${named}${text.slice(0, 84)}`;
  texts.set(shown, (texts.get(shown) ?? 0) + 1);
  const reply = awaiting(
    (originalQuery as (...a: unknown[]) => Promise<unknown>).apply(this, args),
  );
  const settle = () => inFlight.set(this, (inFlight.get(this) ?? 1) - 1);
  reply.then(settle, settle);
  return reply;
} as typeof pg.Client.prototype.query;

// Writes to PostgreSQL's and Redis's sockets: one system call each (a corked socket sends what
// it gathered in one).
for (const method of ["_write", "_writev"] as const) {
  const original = Socket.prototype[method] as (...a: unknown[]) => unknown;
  (Socket.prototype as unknown as Record<string, unknown>)[method] = function (
    this: Socket,
    ...args: unknown[]
  ) {
    if (this.remotePort === postgresPort) counts.writes += 1;
    if (this.remotePort === redisPort) counts.redisWrites += 1;
    return original.apply(this, args);
  };
}

const { Redis } = await import("ioredis");
const originalSend = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function (this: InstanceType<typeof Redis>, ...args) {
  counts.redis += 1;
  return awaiting(originalSend.apply(this, args) as Promise<unknown>);
} as typeof originalSend;

const schema = `kwrt_${Date.now().toString(36)}`;
const database = `${POSTGRES_URL}?schema=${schema}&application_name=${schema}`;

/** CPU time (µs) of the PostgreSQL backends serving this run (application_name). */
async function backendCpu(): Promise<number> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ pid: number }>(
      "select pid from pg_stat_activity where application_name = $1",
      [schema],
    );
    let micros = 0;
    for (const { pid } of rows) micros += procCpuMicros(`/proc/${pid}/stat`);
    return micros;
  } finally {
    await admin.end();
  }
}
const server = createServer({ keepAlive: true });
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as AddressInfo).port;
const origin = `http://localhost:${port}`;
const auth = await createKeyward({
  rp: { id: "localhost", name: "round trips", origins: [origin] },
  database,
  ...(withRedis ? { redis: `${REDIS_URL}?prefix=${schema}:` } : {}),
  secret: "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
  accounts: { allowPasswordless: true },
  rateLimits: { ceremonyStartsPerIp: 1_000_000_000 },
  env: {},
});
server.on("request", toNodeHandler(auth));
const client = new BenchClient(port);
try {
  const [token] = await seedSignedInUsers(database, 1, "rt");
  const holder = await registerPasskey(client, origin, token!);
  await signInWithPasskey(client, holder);
  for (let i = 0; i < 20; i += 1) await signInWithPasskey(client, holder);
  const cpuBefore = await backendCpu();
  for (const key of Object.keys(counts) as Array<keyof typeof counts>) counts[key] = 0;
  texts.clear();
  for (let i = 0; i < SIGNINS; i += 1) await signInWithPasskey(client, holder);
  const cpuSpent = (await backendCpu()) - cpuBefore;
  const per = (n: number) => (n / SIGNINS).toFixed(2);
  console.log(
    `${withRedis ? "postgres+redis" : "postgres"}: per sign-in (options + response): ` +
      `${per(counts.queries)} PostgreSQL statements in ${per(counts.roundTrips)} round trips, ` +
      `${per(counts.commits)} commits, ${per(counts.writes)} socket writes; ` +
      `${per(counts.redis)} Redis commands in ${per(counts.redisWrites)} socket writes; ` +
      `${per(counts.waits)} sequential waits on the stores; ` +
      `PostgreSQL backends ${Math.round(cpuSpent / SIGNINS)} µs of CPU`,
  );
  for (const [text, n] of [...texts].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${per(n).padStart(5)}  ${text.replace(/\s+/g, " ")}`);
  }
} finally {
  client.close();
  server.closeAllConnections();
  server.close();
  await auth.close();
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
}

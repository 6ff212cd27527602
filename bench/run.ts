/**
 * `npm run bench`: raw verification limits, end-to-end passkey ceremonies over loopback HTTP
 * against a Keyward server in its own process (SQLite and PostgreSQL), and sign-in latency at
 * 1k vs 1M stored credentials. Prints a table and writes bench/results/<timestamp>.json.
 *
 * Flags:
 *   --quick            shorter phases (a smoke run, not for numbers)
 *   --db=sqlite,postgres,postgres+redis   which stores (default: all three; PostgreSQL and
 *                      Redis skipped if unreachable)
 *   --workers=1,2      server processes (node:cluster) per store (default: 1)
 *   --scale=1000000    credential count of the large scale run (0 skips the scale runs)
 *   --only=signin      run only these phases: raw, signin, register, scale (comma-separated);
 *                      memory: only each store's idle server RSS (signin and register measure it too)
 *   --profile          run the server under --cpu-prof (profiles in bench/results/profiles/)
 *   --label=text       stored with the results (e.g. "before", "after")
 *   --baseline=<dir>   also serve each store from another checkout's code (e.g. a worktree of
 *                      main), taking turns with this one: a before/after in one run
 *   --sqlite-sync=full SQLite URL option `?synchronous=…` (default: Keyward's, i.e. normal)
 *   --pool=10          PostgreSQL connections per server process (default: Keyward's, 10)
 *   --concurrency=32   the end-to-end concurrencies to run (default: 1,8,32)
 *   --seconds=15       length of each measured end-to-end phase (default: 5; --quick: 1)
 *   --rounds=3         sign-in phases run in this many rounds, the stores taking turns; each
 *                      store reports its median round (default: 3; --quick: 1)
 */
import { type ChildProcess, fork } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import pg from "pg";
import { migrate } from "../src/store/kysely/index.js";
import {
  BenchClient,
  type PasskeyHolder,
  type PhaseResult,
  registerPasskey,
  runPhase,
  signInWithPasskey,
} from "./load.js";
import { procCpuMicros } from "./proc-cpu.js";
import type { ServerMessage, ServerRequest, ServerStats } from "./protocol.js";
import { measureRaw, type RawResult } from "./raw.js";
import { seedFillerCredentials, seedSignedInUsers } from "./seed.js";

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, "results");

// ---- options -------------------------------------------------------------------------------

function flag(name: string): string | undefined {
  const prefix = `--${name}=`;
  const hit = process.argv.find((a) => a === `--${name}` || a.startsWith(prefix));
  if (hit === undefined) return undefined;
  return hit.startsWith(prefix) ? hit.slice(prefix.length) : "true";
}

const quick = flag("quick") === "true";
const profile = flag("profile") === "true";
const label = flag("label") ?? "";
/** Another checkout (e.g. a worktree of main) whose server runs beside this one's, in turns. */
const baseline = flag("baseline");
const only = new Set((flag("only") ?? "raw,signin,register,scale").split(","));
type StoreKind = "sqlite" | "postgres" | "postgres+redis";
const wantedDbs = (flag("db") ?? "sqlite,postgres,postgres+redis").split(",") as StoreKind[];
const WORKERS = (flag("workers") ?? "1").split(",").map(Number);
const scaleLarge = Number(flag("scale") ?? 1_000_000);
const sqliteSync = flag("sqlite-sync");
/** PostgreSQL connections per server process (Keyward's `?pool=`; default: Keyward's own). */
const pgPool = flag("pool");
const POSTGRES_URL = process.env.KEYWARD_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.KEYWARD_TEST_REDIS ?? "redis://127.0.0.1:6379";

const RAW_MS = quick ? 500 : 2_500;
const WARMUP_MS = quick ? 300 : 1_000;
const PHASE_MS = flag("seconds") ? Number(flag("seconds")) * 1000 : quick ? 1_000 : 5_000;
/** Sign-in rounds: the stores take turns, and each reports its median round. */
const ROUNDS = Number(flag("rounds") ?? (quick ? 1 : 3));
const CONCURRENCY = (flag("concurrency") ?? "1,8,32").split(",").map(Number);
const SCALE_CONCURRENCY = 8;
/** Signed-in users prepared per registration phase: more than any phase can use. */
const REGISTRATION_POOL = quick ? 3_000 : 12_000;

// ---- the server child ----------------------------------------------------------------------

class ServerProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, (stats: ServerStats) => void>();

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly origin: string,
    readonly startStats: ServerStats,
  ) {
    child.on("message", (raw) => {
      const message = raw as ServerMessage;
      if (message.type === "stats") {
        this.waiting.get(message.id)?.(message.stats);
        this.waiting.delete(message.id);
      }
    });
  }

  static async start(
    bundle: string,
    database: Database,
    tag: string,
    workers = 1,
  ): Promise<ServerProcess> {
    const env = {
      ...process.env,
      BENCH_DATABASE: database.url,
      BENCH_REDIS: database.redis ?? "",
      BENCH_EPHEMERAL: database.ephemeral ?? "",
      BENCH_WORKERS: String(workers),
      NODE_ENV: "production",
    };
    // Profiled runs load the TypeScript sources through tsx, so that frames name src/ files.
    const child = profile
      ? fork(join(here, "server.ts"), [], {
          env,
          execArgv: [
            "--import",
            "tsx",
            "--cpu-prof",
            // One profile per thread (tsx's loader has its own); the largest is the server's.
            `--cpu-prof-dir=${join(resultsDir, "profiles", `${tag}-${Date.now()}`)}`,
          ],
          stdio: ["ignore", "inherit", "inherit", "ipc"],
        })
      : fork(bundle, [], {
          env,
          execArgv: ["--enable-source-maps"],
          stdio: ["ignore", "inherit", "inherit", "ipc"],
        });
    const ready = await new Promise<Extract<ServerMessage, { type: "ready" }>>(
      (resolve, reject) => {
        child.once("error", reject);
        child.once("exit", (code) => reject(new Error(`bench server exited early (${code})`)));
        child.on("message", (raw) => {
          const message = raw as ServerMessage;
          if (message.type === "ready") resolve(message);
        });
      },
    );
    child.removeAllListeners("exit");
    return new ServerProcess(child, ready.port, ready.origin, ready.stats);
  }

  stats(): Promise<ServerStats> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ type: "stats", id } satisfies ServerRequest);
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.send({ type: "exit" } satisfies ServerRequest);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}

/**
 * Bundles bench/server.ts with src/ (dependencies stay external) so the child is plain Node.
 * Code splitting keeps src/'s dynamic imports lazy, as they are in the published build.
 */
async function bundleServer(root = join(here, ".."), name = ".build"): Promise<string> {
  const outdir = join(resultsDir, name);
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [join(root, "bench", "server.ts")],
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: true,
    logLevel: "warning",
  });
  return join(outdir, "server.mjs");
}

// ---- databases -----------------------------------------------------------------------------

interface Database {
  kind: StoreKind;
  url: string;
  /** Keyward's `redis` option (with its own key prefix), for postgres+redis. */
  redis?: string;
  /** Keyward's `ephemeral` option, when the run sets it. */
  ephemeral?: "database";
  /** PostgreSQL's application_name of the server's connections, to find their backends. */
  applicationName?: string;
  drop(): Promise<void>;
}

async function redisReachable(): Promise<boolean> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

let scratch: string | undefined;
function newDatabase(kind: StoreKind, tag: string, ephemeral?: "database"): Database {
  if (kind === "sqlite") {
    scratch ??= mkdtempSync(join(tmpdir(), "keyward-bench-"));
    const path = join(scratch, `${tag}.sqlite`);
    return {
      kind,
      url: `sqlite:${path}${sqliteSync ? `?synchronous=${sqliteSync}` : ""}`,
      ...(ephemeral ? { ephemeral } : {}),
      drop: async () => {
        for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
      },
    };
  }
  const schema = `kwbench_${tag}_${Date.now().toString(36)}`.replace(/[^a-z0-9_]/g, "_");
  return {
    kind,
    url: `${POSTGRES_URL}?schema=${schema}&application_name=${schema}${pgPool ? `&pool=${pgPool}` : ""}`,
    applicationName: schema,
    ...(kind === "postgres+redis" ? { redis: `${REDIS_URL}?prefix=${schema}:` } : {}),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

// ---- phases --------------------------------------------------------------------------------

interface MeasuredPhase extends PhaseResult {
  /** Share of one core the server used during the phase (user + system CPU / wall time). */
  serverCpu: number;
  /** The same for this process, the load generator (whose work competes for the same cores). */
  clientCpu: number;
  /**
   * Server CPU time per completed ceremony (µs): the cost of one ceremony to the server, which
   * other load on the machine inflates far less than it does throughput or latency.
   */
  serverCpuMicrosPerOp: number;
  /**
   * The event-loop thread's share of it (µs per ceremony): what bounds one process, as the
   * loop runs on one core at a time; the rest (signature checks on libuv's pool, GC helpers,
   * SQLite's checkpointer) can use other cores.
   */
  mainThreadMicrosPerOp: number;
  /**
   * CPU time of the PostgreSQL backends serving the server's connections per ceremony (µs),
   * read from /proc/<pid>/stat (10 ms ticks); 0 on SQLite, NaN when /proc is not readable.
   */
  databaseCpuMicrosPerOp: number;
  /** Longest the server's event loop was blocked during the phase (e.g. by a disk flush). */
  serverLoopDelayMaxMs: number;
  serverLoopDelayP99Ms: number;
  /** Sign-ins: each round's ceremonies per second, in the order run (this phase is the median). */
  rounds?: number[];
}

/** CPU time (µs) of each PostgreSQL backend whose application_name is the run's. */
async function backendCpu(db: Database): Promise<Map<number, number>> {
  const cpu = new Map<number, number>();
  if (!db.applicationName) return cpu;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      "select pid from pg_stat_activity where application_name = $1",
      [db.applicationName],
    );
    for (const { pid } of rows) {
      try {
        cpu.set(pid, procCpuMicros(`/proc/${pid}/stat`));
      } catch {
        cpu.set(pid, Number.NaN);
      }
    }
  } finally {
    await client.end();
  }
  return cpu;
}

/** Backend CPU spent between two readings; a backend that ended keeps its last reading. */
function backendCpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let spent = 0;
  for (const [pid, micros] of after) spent += micros - (before.get(pid) ?? 0);
  return spent;
}

async function measured(
  server: ServerProcess,
  db: Database,
  phase: Parameters<typeof runPhase>[0],
): Promise<MeasuredPhase> {
  const databaseBefore = await backendCpu(db);
  const before = await server.stats();
  const clientBefore = process.cpuUsage();
  const t0 = performance.now();
  const result = await runPhase(phase);
  const wall = performance.now() - t0;
  const client = process.cpuUsage(clientBefore);
  const after = await server.stats();
  const databaseAfter = await backendCpu(db);
  const cpu =
    after.cpuUserMicros + after.cpuSystemMicros - (before.cpuUserMicros + before.cpuSystemMicros);
  return {
    ...result,
    serverCpu: cpu / 1000 / wall,
    clientCpu: (client.user + client.system) / 1000 / wall,
    serverCpuMicrosPerOp: cpu / result.totalCompleted,
    mainThreadMicrosPerOp:
      (after.mainThreadCpuMicros - before.mainThreadCpuMicros) / result.totalCompleted,
    databaseCpuMicrosPerOp: backendCpuSpent(databaseBefore, databaseAfter) / result.totalCompleted,
    serverLoopDelayMaxMs: after.loopDelayMaxMs,
    serverLoopDelayP99Ms: after.loopDelayP99Ms,
  };
}

/** Registers one passkey per holder through the real ceremony (untimed set-up). */
async function prepareHolders(
  client: BenchClient,
  server: ServerProcess,
  tokens: string[],
): Promise<PasskeyHolder[]> {
  const holders: PasskeyHolder[] = [];
  for (const token of tokens) holders.push(await registerPasskey(client, server.origin, token));
  return holders;
}

interface DatabaseRun {
  /** The store, and the server processes when more than one (e.g. "postgres+redis x2"). */
  database: string;
  store: StoreKind;
  workers: number;
  /** Served by the --baseline checkout (left out of the targets). */
  baseline: boolean;
  idleRssBytes: number;
  peakRssBytes: number;
  signin: MeasuredPhase[];
  register: MeasuredPhase[];
}

/** Several processes share one SQLite file only with their ephemeral state in it. */
const sqliteEphemeral = WORKERS.some((n) => n > 1) ? ("database" as const) : undefined;

/** A store's server, started, with its holders' passkeys registered and its idle RSS read. */
interface PreparedStore {
  name: string;
  kind: StoreKind;
  workers: number;
  /** Served by the --baseline checkout's code, to compare with this one's in the same run. */
  baseline: boolean;
  db: Database;
  server: ServerProcess;
  client: BenchClient;
  tokens: string[];
  holders: PasskeyHolder[];
  idleRssBytes: number;
}

async function prepareStore(
  bundle: string,
  kind: StoreKind,
  workers: number,
  baseline = false,
): Promise<PreparedStore> {
  const name = `${kind}${workers > 1 ? ` x${workers}` : ""}${baseline ? " (baseline)" : ""}`;
  const tag = `e2e_${kind.replace("+", "_")}_${workers}${baseline ? "_base" : ""}`;
  const db = newDatabase(kind, tag, kind === "sqlite" ? sqliteEphemeral : undefined);
  await migrate(db.url);
  const maxHolders = Math.max(...CONCURRENCY);
  const wantRegister = only.has("register");
  const tokens = await seedSignedInUsers(
    db.url,
    maxHolders + (wantRegister ? REGISTRATION_POOL * CONCURRENCY.length : 0),
    tag,
  );
  const server = await ServerProcess.start(bundle, db, tag, workers);
  const client = new BenchClient(server.port);
  // Idle: started, migrated, connected, nothing served yet; let start-up garbage settle.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const idle = await server.stats();
  const wantCeremonies = only.has("signin") || wantRegister;
  const holders = wantCeremonies
    ? await prepareHolders(client, server, tokens.slice(0, maxHolders))
    : [];
  return {
    name,
    kind,
    workers,
    baseline,
    db,
    server,
    client,
    tokens,
    holders,
    idleRssBytes: idle.rssBytes,
  };
}

/** The round whose throughput is the median (each round's figures stay together). */
function medianRound(rounds: MeasuredPhase[]): MeasuredPhase {
  const sorted = [...rounds].sort((a, b) => a.perSecond - b.perSecond);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return { ...median, rounds: rounds.map((r) => r.perSecond) };
}

/**
 * Sign-in phases in rounds: each round runs every store's phase once, one store after the
 * other, and a store's figure is its median round. What else the machine does comes and goes
 * over seconds; taking turns puts every store under the same spells of it, so the ratios
 * between stores (issue #21's targets) measure the stores, not the moment each ran.
 */
async function signinRounds(stores: PreparedStore[]): Promise<Map<PreparedStore, MeasuredPhase[]>> {
  const byStore = new Map(stores.map((store) => [store, new Map<number, MeasuredPhase[]>()]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const concurrency of CONCURRENCY) {
      for (const store of stores) {
        log(
          `  ${store.name}: passkey sign-in, concurrency ${concurrency}, round ${round + 1}/${ROUNDS}`,
        );
        const phase = await measured(store.server, store.db, {
          concurrency,
          // The server is warm after its first round; a short warm-up refills the pipes.
          warmupMs: round === 0 ? WARMUP_MS : Math.min(WARMUP_MS, 300),
          durationMs: PHASE_MS,
          iteration: async (worker) => {
            await signInWithPasskey(store.client, store.holders[worker]!);
            return true;
          },
        });
        const phases = byStore.get(store)!;
        phases.set(concurrency, [...(phases.get(concurrency) ?? []), phase]);
      }
    }
  }
  return new Map(
    stores.map((store) => [
      store,
      CONCURRENCY.map((c) => medianRound(byStore.get(store)!.get(c)!)),
    ]),
  );
}

async function registrations(store: PreparedStore): Promise<MeasuredPhase[]> {
  const register: MeasuredPhase[] = [];
  let next = Math.max(...CONCURRENCY);
  for (const concurrency of CONCURRENCY) {
    log(`  ${store.name}: passkey registration, concurrency ${concurrency}`);
    const end = next + REGISTRATION_POOL;
    register.push(
      await measured(store.server, store.db, {
        concurrency,
        warmupMs: WARMUP_MS,
        durationMs: PHASE_MS,
        iteration: async () => {
          if (next >= end) return false;
          const token = store.tokens[next++]!;
          await registerPasskey(store.client, store.server.origin, token);
          return true;
        },
      }),
    );
    next = end;
  }
  return register;
}

async function closeStore(store: PreparedStore): Promise<void> {
  store.client.close();
  await store.server.stop();
  await store.db.drop();
}

/** Every store's run: sign-ins in rounds across the stores, then each store's registrations. */
async function runStores(
  bundle: string,
  baselineBundle: string | undefined,
  wanted: Array<{ kind: StoreKind; workers: number }>,
): Promise<DatabaseRun[]> {
  const stores: PreparedStore[] = [];
  try {
    for (const { kind, workers } of wanted) {
      stores.push(await prepareStore(bundle, kind, workers));
      if (baselineBundle) stores.push(await prepareStore(baselineBundle, kind, workers, true));
    }
    const signin = only.has("signin")
      ? await signinRounds(stores)
      : new Map<PreparedStore, MeasuredPhase[]>();
    const runs: DatabaseRun[] = [];
    for (const store of stores) {
      const register = only.has("register") ? await registrations(store) : [];
      const final = await store.server.stats();
      runs.push({
        database: store.name,
        store: store.kind,
        workers: store.workers,
        baseline: store.baseline,
        idleRssBytes: store.idleRssBytes,
        peakRssBytes: final.maxRssBytes,
        signin: signin.get(store) ?? [],
        register,
      });
    }
    return runs;
  } finally {
    for (const store of stores) await closeStore(store);
  }
}

interface ScaleRun {
  database: "sqlite";
  credentials: number;
  seedSeconds: number;
  signin: MeasuredPhase;
}

async function runScale(bundle: string, credentials: number): Promise<ScaleRun> {
  const db = newDatabase("sqlite", `scale_${credentials}`);
  await migrate(db.url);
  const holdersWanted = SCALE_CONCURRENCY;
  const t0 = performance.now();
  await seedFillerCredentials(db.url, credentials - holdersWanted);
  const seedSeconds = (performance.now() - t0) / 1000;
  const tokens = await seedSignedInUsers(db.url, holdersWanted, `scale-${credentials}`);
  const server = await ServerProcess.start(bundle, db, `scale-${credentials}`);
  const client = new BenchClient(server.port);
  try {
    const holders = await prepareHolders(client, server, tokens);
    log(`  sqlite: sign-in with ${credentials.toLocaleString("en")} stored credentials`);
    const signin = await measured(server, db, {
      concurrency: SCALE_CONCURRENCY,
      warmupMs: WARMUP_MS,
      durationMs: PHASE_MS,
      iteration: async (worker) => {
        await signInWithPasskey(client, holders[worker]!);
        return true;
      },
    });
    return { database: "sqlite", credentials, seedSeconds, signin };
  } finally {
    client.close();
    await server.stop();
    await db.drop();
  }
}

// ---- report --------------------------------------------------------------------------------

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const num = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString("en", { maximumFractionDigits: digits }) : "-";

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [
    line(headers),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}

interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean | null;
}

function targetsOf(raw: RawResult | undefined, runs: DatabaseRun[], scale: ScaleRun[]): Target[] {
  const single = (store: StoreKind) =>
    runs.find((r) => r.store === store && r.workers === 1 && !r.baseline);
  const sqlite = single("sqlite");
  const c32 = sqlite?.signin.find((p) => p.concurrency === 32);
  const c8 = sqlite?.signin.find((p) => p.concurrency === 8);
  const small = scale.find((s) => s.credentials <= 1_000);
  const large = scale.find((s) => s.credentials > 1_000);
  const targets: Target[] = [];
  if (c32 && raw) {
    const ratio = c32.perSecond / raw.es256VerifyPerSecond;
    targets.push({
      name: "sign-ins/s at c=32 (SQLite) vs raw ES256 verify/s",
      goal: ">= 20%",
      measured: `${(ratio * 100).toFixed(1)}%`,
      met: ratio >= 0.2,
    });
  }
  if (c8) {
    targets.push({
      name: "sign-in p99 at c=8 (SQLite)",
      goal: "<= 25 ms",
      measured: `${c8.p99Ms.toFixed(1)} ms`,
      met: c8.p99Ms <= 25,
    });
  }
  // The scale-out path against embedded SQLite, same run, same load generator (issue #21).
  for (const [store, goal] of [
    ["postgres+redis", 0.5],
    ["postgres", 0.35],
  ] as const) {
    const other = single(store)?.signin.find((p) => p.concurrency === 32);
    if (c32 && other) {
      const ratio = other.perSecond / c32.perSecond;
      targets.push({
        name: `sign-ins/s at c=32, ${store} vs SQLite`,
        goal: `>= ${goal * 100}%`,
        measured: `${(ratio * 100).toFixed(1)}%`,
        met: ratio >= goal,
      });
    }
  }
  const redisC8 = single("postgres+redis")?.signin.find((p) => p.concurrency === 8);
  if (redisC8) {
    targets.push({
      name: "sign-in p99 at c=8 (postgres+redis)",
      goal: "<= 25 ms",
      measured: `${redisC8.p99Ms.toFixed(1)} ms`,
      met: redisC8.p99Ms <= 25,
    });
  }
  for (const run of runs.filter((r) => r.workers > 1 && !r.baseline)) {
    const one = single(run.store)?.signin;
    for (const p of run.signin) {
      const base = one?.find((q) => q.concurrency === p.concurrency);
      if (!base) continue;
      targets.push({
        name: `sign-ins/s at c=${p.concurrency}, ${run.database} vs 1 process`,
        goal: "(reported)",
        measured: `${(p.perSecond / base.perSecond).toFixed(2)}x`,
        met: null,
      });
    }
  }
  if (small && large) {
    const ratio = large.signin.p50Ms / small.signin.p50Ms;
    targets.push({
      name: `sign-in p50 at ${num(large.credentials)} vs ${num(small.credentials)} credentials`,
      goal: "<= 1.3x",
      measured: `${ratio.toFixed(2)}x`,
      met: ratio <= 1.3,
    });
  }
  for (const run of runs.filter((r) => r.workers === 1 && !r.baseline)) {
    targets.push({
      name: `idle server RSS (${run.database})`,
      goal: "<= 120 MB",
      measured: mb(run.idleRssBytes),
      met: run.idleRssBytes <= 120 * 1024 * 1024,
    });
  }
  return targets;
}

function report(
  raw: RawResult | undefined,
  runs: DatabaseRun[],
  scale: ScaleRun[],
  targets: Target[],
): string {
  const out: string[] = [];
  if (raw) {
    out.push(
      table(
        ["raw limit (one core, sequential)", "per second"],
        [
          ["node:crypto ES256 verify (prepared KeyObject)", num(raw.es256VerifyPerSecond)],
          ["@simplewebauthn/server verifyAuthenticationResponse", num(raw.libraryVerifyPerSecond)],
          ["Keyward verifyAssertionFast", num(raw.fastPathVerifyPerSecond)],
        ],
      ),
    );
  }
  const rows: string[][] = [];
  for (const run of runs) {
    for (const [ceremony, phases] of [
      ["sign-in", run.signin],
      ["registration", run.register],
    ] as const) {
      for (const p of phases) {
        rows.push([
          `${run.database} ${ceremony}`,
          String(p.concurrency),
          num(p.perSecond),
          p.rounds && p.rounds.length > 1 ? p.rounds.map((r) => num(r)).join(" / ") : "",
          raw && ceremony === "sign-in"
            ? `${((p.perSecond / raw.es256VerifyPerSecond) * 100).toFixed(1)}%`
            : "",
          num(p.p50Ms, 2),
          num(p.p99Ms, 2),
          `${(p.serverCpu * 100).toFixed(0)}%`,
          num(p.serverCpuMicrosPerOp),
          num(p.mainThreadMicrosPerOp),
          run.store === "sqlite" ? "" : num(p.databaseCpuMicrosPerOp),
          num(p.serverLoopDelayMaxMs, 1),
          `${(p.clientCpu * 100).toFixed(0)}%`,
          String(p.errors),
        ]);
      }
    }
  }
  if (rows.length > 0) {
    out.push(
      table(
        [
          "end-to-end (loopback HTTP)",
          "conc.",
          "per s",
          "rounds per s",
          "vs raw",
          "p50 ms",
          "p99 ms",
          "server CPU",
          "server µs/op",
          "loop µs/op",
          "PG µs/op",
          "loop stall ms",
          "loadgen CPU",
          "errors",
        ],
        rows,
      ),
    );
    out.push(
      table(
        ["server memory", "idle RSS", "peak RSS"],
        runs.map((r) => [r.database, mb(r.idleRssBytes), mb(r.peakRssBytes)]),
      ),
    );
  }
  if (scale.length > 0) {
    out.push(
      table(
        ["scale (SQLite, sign-in, c=8)", "seed s", "per s", "p50 ms", "p99 ms", "errors"],
        scale.map((s) => [
          `${num(s.credentials)} credentials`,
          s.seedSeconds.toFixed(1),
          num(s.signin.perSecond),
          num(s.signin.p50Ms, 2),
          num(s.signin.p99Ms, 2),
          String(s.signin.errors),
        ]),
      ),
    );
  }
  if (targets.length > 0) {
    out.push(
      table(
        ["target", "goal", "measured", "met"],
        targets.map((t) => [
          t.name,
          t.goal,
          t.measured,
          t.met === null ? "-" : t.met ? "yes" : "NO",
        ]),
      ),
    );
  }
  return out.join("\n\n");
}

// ---- main ----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const startedAt = new Date();
  mkdirSync(resultsDir, { recursive: true });
  log(`keyward bench${quick ? " (quick)" : ""}${label ? ` [${label}]` : ""}`);
  const bundle = await bundleServer();

  let raw: RawResult | undefined;
  if (only.has("raw")) {
    log("  raw verification limits");
    raw = await measureRaw(RAW_MS);
  }

  const dbs: StoreKind[] = [];
  for (const kind of wantedDbs) {
    if (kind !== "sqlite" && !(await postgresReachable())) {
      log(`  PostgreSQL at ${POSTGRES_URL} unreachable: ${kind} skipped`);
      continue;
    }
    if (kind === "postgres+redis" && !(await redisReachable())) {
      log(`  Redis at ${REDIS_URL} unreachable: ${kind} skipped`);
      continue;
    }
    dbs.push(kind);
  }
  const runs =
    only.has("signin") || only.has("register") || only.has("memory")
      ? await runStores(
          bundle,
          baseline ? await bundleServer(baseline, ".build-baseline") : undefined,
          WORKERS.flatMap((workers) => dbs.map((kind) => ({ kind, workers }))),
        )
      : [];

  const scale: ScaleRun[] = [];
  if (only.has("scale") && scaleLarge > 0) {
    for (const credentials of [1_000, scaleLarge]) {
      log(`  seeding ${credentials.toLocaleString("en")} credentials`);
      scale.push(await runScale(bundle, credentials));
    }
  }
  if (scratch) rmSync(scratch, { recursive: true, force: true });

  const targets = targetsOf(raw, runs, scale);
  const text = report(raw, runs, scale, targets);
  const file = join(resultsDir, `${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        label,
        startedAt: startedAt.toISOString(),
        durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
        machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
        settings: {
          quick,
          profile,
          sqliteSync: sqliteSync ?? "default",
          warmupMs: WARMUP_MS,
          phaseMs: PHASE_MS,
          rounds: ROUNDS,
          rawMs: RAW_MS,
        },
        raw,
        runs,
        scale,
        targets,
      },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`\n${text}\n\nresults: ${file}\n`);
}

await main();

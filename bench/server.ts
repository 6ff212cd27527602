/**
 * The Keyward server under test, alone in its own process so that its CPU time and memory are
 * its own. The parent (bench/run.ts) starts it with BENCH_DATABASE set (and BENCH_REDIS,
 * BENCH_EPHEMERAL, BENCH_WORKERS when the run asks), reads `ready` over IPC, drives it over HTTP
 * on 127.0.0.1, asks for `stats` between phases and finally sends `exit`. With BENCH_WORKERS > 1
 * this process is a node:cluster primary: its workers share the port, and its stats are theirs
 * summed (CPU, memory) or their worst (event-loop delay).
 */
import cluster, { type Worker } from "node:cluster";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createKeyward } from "../src/index.js";
import { toNodeHandler } from "../src/node.js";
import { procCpuMicros } from "./proc-cpu.js";
import type { ServerMessage, ServerRequest, ServerStats } from "./protocol.js";

const database = process.env.BENCH_DATABASE;
if (!database) throw new Error("bench/server: BENCH_DATABASE is not set");
const workers = Number(process.env.BENCH_WORKERS || 1);

function send(message: ServerMessage): void {
  process.send?.(message);
}

const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

/** The event-loop thread's CPU time (its thread id is the process id), in µs. */
function mainThreadCpuMicros(): number {
  try {
    return procCpuMicros(`/proc/self/task/${process.pid}/stat`);
  } catch {
    return Number.NaN;
  }
}

function stats(): ServerStats {
  const usage = process.resourceUsage();
  const p99 = loopDelay.percentile(99) / 1e6;
  const max = loopDelay.max / 1e6;
  loopDelay.reset();
  return {
    loopDelayP99Ms: p99,
    loopDelayMaxMs: max,
    rssBytes: process.memoryUsage.rss(),
    maxRssBytes: usage.maxRSS * 1024,
    heapUsedBytes: process.memoryUsage().heapUsed,
    cpuUserMicros: usage.userCPUTime,
    cpuSystemMicros: usage.systemCPUTime,
    mainThreadCpuMicros: mainThreadCpuMicros(),
  };
}

function sum(all: ServerStats[]): ServerStats {
  const total = (pick: (s: ServerStats) => number) => all.reduce((n, s) => n + pick(s), 0);
  const worst = (pick: (s: ServerStats) => number) => Math.max(...all.map(pick));
  return {
    loopDelayP99Ms: worst((s) => s.loopDelayP99Ms),
    loopDelayMaxMs: worst((s) => s.loopDelayMaxMs),
    rssBytes: total((s) => s.rssBytes),
    maxRssBytes: total((s) => s.maxRssBytes),
    heapUsedBytes: total((s) => s.heapUsedBytes),
    cpuUserMicros: total((s) => s.cpuUserMicros),
    cpuSystemMicros: total((s) => s.cpuSystemMicros),
    mainThreadCpuMicros: total((s) => s.mainThreadCpuMicros),
  };
}

async function serve(): Promise<{ port: number; origin: string; close(): Promise<void> }> {
  const server = createServer({ keepAlive: true, keepAliveTimeout: 30_000 });
  // In a cluster every worker asking for port 0 on one address shares the primary's one socket.
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://localhost:${port}`;
  const auth = await createKeyward({
    rp: { id: "localhost", name: "Keyward bench", origins: [origin] },
    database: database!,
    ...(process.env.BENCH_REDIS ? { redis: process.env.BENCH_REDIS } : {}),
    ...(process.env.BENCH_EPHEMERAL === "database" ? { ephemeral: "database" as const } : {}),
    secret: "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    accounts: { allowPasswordless: true },
    // One load generator on one address stands for many clients.
    rateLimits: { ceremonyStartsPerIp: 1_000_000_000 },
    env: {},
  });
  server.on("request", toNodeHandler(auth));
  return {
    port,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => void auth.close().then(resolve));
      }),
  };
}

/** A worker of the cluster: answers the primary's stats requests with its own. */
type WorkerMessage =
  | { type: "ready"; port: number; origin: string }
  | { type: "stats"; id: number; stats: ServerStats };

if (workers > 1 && cluster.isPrimary) {
  const started: Worker[] = [];
  const startWorker = () =>
    new Promise<{ worker: Worker; port: number; origin: string }>((resolve, reject) => {
      const worker = cluster.fork();
      started.push(worker);
      worker.once("exit", (code) => reject(new Error(`bench worker exited (${code})`)));
      worker.on("message", (message: WorkerMessage) => {
        if (message.type === "ready") resolve({ worker, ...message });
      });
    });
  // The first worker migrates; the others start on the migrated database.
  const first = await startWorker();
  await Promise.all(Array.from({ length: workers - 1 }, () => startWorker()));
  let nextId = 1;
  const askAll = () =>
    Promise.all(
      started.map(
        (worker) =>
          new Promise<ServerStats>((resolve) => {
            const id = nextId++;
            const listener = (message: WorkerMessage) => {
              if (message.type === "stats" && message.id === id) {
                worker.off("message", listener);
                resolve(message.stats);
              }
            };
            worker.on("message", listener);
            worker.send({ type: "stats", id } satisfies ServerRequest);
          }),
      ),
    );
  process.on("message", (raw) => {
    const request = raw as ServerRequest;
    if (request.type === "stats") {
      void askAll().then((all) => send({ type: "stats", id: request.id, stats: sum(all) }));
    }
    if (request.type === "exit") {
      for (const worker of started) {
        worker.removeAllListeners("exit");
        worker.send({ type: "exit" } satisfies ServerRequest);
      }
      void Promise.all(started.map((w) => new Promise((resolve) => w.once("exit", resolve)))).then(
        () => process.exit(0),
      );
    }
  });
  process.on("disconnect", () => process.exit(0));
  send({ type: "ready", port: first.port, origin: first.origin, stats: sum(await askAll()) });
} else {
  const served = await serve();
  const reply = (message: ServerMessage | WorkerMessage) => process.send?.(message);
  process.on("message", (raw) => {
    const request = raw as ServerRequest;
    if (request.type === "stats") reply({ type: "stats", id: request.id, stats: stats() });
    if (request.type === "exit") void served.close().then(() => process.exit(0));
  });
  process.on("disconnect", () => process.exit(0));
  if (cluster.isWorker) reply({ type: "ready", port: served.port, origin: served.origin });
  else reply({ type: "ready", port: served.port, origin: served.origin, stats: stats() });
}

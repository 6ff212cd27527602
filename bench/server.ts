/**
 * The Keyward server under test, alone in its own process so that its CPU time and memory are
 * its own. The parent (bench/run.ts) starts it with BENCH_DATABASE set, reads `ready` over IPC,
 * drives it over HTTP on 127.0.0.1, asks for `stats` between phases and finally sends `exit`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createKeyward } from "../src/index.js";
import { toNodeHandler } from "../src/node.js";
import type { ServerMessage, ServerRequest, ServerStats } from "./protocol.js";

const database = process.env.BENCH_DATABASE;
if (!database) throw new Error("bench/server: BENCH_DATABASE is not set");

function send(message: ServerMessage): void {
  process.send?.(message);
}

const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

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
  };
}

const server = createServer({ keepAlive: true, keepAliveTimeout: 30_000 });
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as AddressInfo).port;
const origin = `http://localhost:${port}`;
const auth = await createKeyward({
  rp: { id: "localhost", name: "Keyward bench", origins: [origin] },
  database,
  secret: "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
  accounts: { allowPasswordless: true },
  // One load generator on one address stands for many clients.
  rateLimits: { ceremonyStartsPerIp: 1_000_000_000 },
  env: {},
});
server.on("request", toNodeHandler(auth));

process.on("message", (raw) => {
  const request = raw as ServerRequest;
  if (request.type === "stats") send({ type: "stats", id: request.id, stats: stats() });
  if (request.type === "exit") {
    server.closeAllConnections();
    server.close(() => {
      void auth.close().then(() => process.exit(0));
    });
  }
});
process.on("disconnect", () => process.exit(0));

send({ type: "ready", port, origin, stats: stats() });

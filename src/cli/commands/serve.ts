import cluster from "node:cluster";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Command, UsageError } from "../command.js";
import { configInput } from "../config.js";

function port(value: string | boolean | undefined, env: string | undefined): number {
  const text = typeof value === "string" ? value : (env ?? "3000");
  if (!/^\d+$/.test(text) || Number(text) > 65_535) {
    throw new UsageError(`--port: a port number from 0 to 65535, not "${text}"`, serveCommand);
  }
  return Number(text);
}

function workerCount(value: string | boolean | undefined): number {
  if (value === undefined) return 1;
  const text = typeof value === "string" ? value : "";
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 256) {
    throw new UsageError(
      `--workers: a number of processes from 1 to 256, not "${text}"`,
      serveCommand,
    );
  }
  return Number(text);
}

/** How the primary of `--workers` hands its workers one random secret (none configured). */
const SHARED_RANDOM_SECRET = "KEYWARD_SERVE_RANDOM_SECRET";

interface Listening {
  url: string;
  origins: string[];
  prefix: string;
}

/** What a worker tells the primary once it serves. */
interface WorkerReady {
  type: "keyward-listening";
  listening: Listening;
}

/**
 * The primary of `--workers N`: starts N processes (node:cluster) that share the port, each a
 * whole Keyward on the same database; restarts one that dies; stops them all on SIGINT/SIGTERM.
 */
async function runPrimary(
  workers: number,
  cli: Parameters<Command["run"]>[0],
): Promise<{ json: undefined; text: string }> {
  let stopping = false;
  // Without a configured secret every process must still sign cookies with the same one.
  const secret = randomBytes(32).toString("base64url");
  const fork = () => cluster.fork({ [SHARED_RANDOM_SECRET]: secret });
  const ready = new Promise<Listening>((resolve, reject) => {
    let count = 0;
    cluster.on("message", (_worker, message: WorkerReady) => {
      if (message?.type !== "keyward-listening") return;
      count += 1;
      if (count === workers) resolve(message.listening);
    });
    cluster.on("exit", (worker, code) => {
      if (stopping) return;
      if (count < workers) {
        reject(new UsageError(`keyward serve: a worker exited at start (code ${code})`));
        return;
      }
      cli.log(`keyward: worker ${worker.process.pid} exited (code ${code}); starting another`);
      fork();
    });
  });
  ready.catch(() => {}); // awaited below, once the first worker serves
  // The first worker migrates the database; the others start once it serves.
  const first = fork();
  await new Promise<void>((resolve, reject) => {
    first.once("message", () => resolve());
    first.once("exit", (code) => reject(new Error(`keyward serve: worker exited (code ${code})`)));
  });
  for (let i = 1; i < workers; i += 1) fork();
  const listening = await ready;
  if (!cli.env.KEYWARD_SECRET) {
    cli.log(
      "keyward: unless configured, the processes share a random secret (sessions end at restart).",
    );
  }
  cli.out(
    cli.options.json === true
      ? JSON.stringify({ listening, workers })
      : `Keyward listening on ${listening.url} with ${workers} processes (API and pages under ${listening.prefix}; origins ${listening.origins.join(", ")})`,
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  stopping = true;
  cli.log(`keyward: ${signal}: stopping ${workers} processes`);
  const all = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
  await Promise.all(
    all.map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          worker.once("exit", () => resolve());
          worker.process.kill("SIGTERM");
        }),
    ),
  );
  return { json: undefined, text: "" };
}

export const serveCommand: Command = {
  name: "serve",
  summary: "Run Keyward over HTTP: JSON API, pages, /.well-known/webauthn",
  options: {
    port: {
      type: "string",
      value: "<port>",
      description: "Port to listen on (default $PORT or 3000; 0 = any free port)",
    },
    host: {
      type: "string",
      value: "<host>",
      description: "Address to listen on (default: every interface)",
    },
    workers: {
      type: "string",
      value: "<n>",
      description:
        "Processes sharing the port (node:cluster; default 1). Needs state every process sees: Redis, PostgreSQL, or a SQLite file (ephemeral state then goes to the database)",
    },
  },
  details:
    "Serves Keyward alone (toNodeHandler) with the configuration from --config and KEYWARD_*:\n" +
    "the JSON API and pages under the prefix, GET /.well-known/webauthn, and / redirecting to the\n" +
    "account page. Without configuration it runs as a local demo: rp.id localhost, origin\n" +
    "http://localhost:<port>, database sqlite:./keyward.db and a random secret (sessions end at\n" +
    "restart). Stops cleanly on SIGINT or SIGTERM, letting requests in flight finish.",
  async run(cli) {
    const listenPort = port(cli.options.port, cli.env.PORT);
    const host = typeof cli.options.host === "string" ? cli.options.host : undefined;
    const workers = workerCount(cli.options.workers);
    if (workers > 1 && cluster.isPrimary) return runPrimary(workers, cli);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(listenPort, host, () => resolve());
    });
    const actualPort = (server.address() as AddressInfo).port;
    const origin = `http://localhost:${actualPort}`;

    const sources = {
      config: cli.options.config as string | undefined,
      database: cli.options.database as string | undefined,
    };
    const { input, env, fromFile } = configInput(sources, cli.env, {
      rp: { id: "localhost", name: "Keyward", origins: [origin] },
    });
    if (cluster.isWorker) {
      // Every process must see every ceremony state: without Redis they live in the database.
      const database = String(input.database ?? env.KEYWARD_DATABASE ?? "sqlite:./keyward.db");
      if (database === "sqlite::memory:" || database === "sqlite:") {
        throw new UsageError("--workers: each process would have its own in-memory database");
      }
      const redis = input.redis ?? env.KEYWARD_REDIS;
      const ephemeral = input.ephemeral ?? env.KEYWARD_EPHEMERAL;
      if (!redis && ephemeral === "memory") {
        throw new UsageError(
          '--workers: ephemeral "memory" is one process\'s; use "database" or Redis',
        );
      }
      if (!redis && ephemeral === undefined) input.ephemeral = "database";
    }
    if (fromFile.secret === undefined && !env.KEYWARD_SECRET) {
      if (cluster.isWorker) {
        input.secret = cli.env[SHARED_RANDOM_SECRET] ?? randomBytes(32).toString("base64url");
      } else {
        cli.log(
          "keyward: KEYWARD_SECRET is not set; using a random secret (sessions end at restart).",
        );
        input.secret = randomBytes(32).toString("base64url");
      }
    }
    // Loaded here, not at start: the other commands do without the HTTP app.
    const { createKeyward } = await import("../../index.js");
    const { toNodeHandler } = await import("../../node.js");
    let auth: Awaited<ReturnType<typeof createKeyward>>;
    try {
      auth = await createKeyward({ ...input, env });
    } catch (error) {
      server.close();
      throw error;
    }
    // Idle keep-alive connections outlive the load balancer's (http.keepAliveTimeout), and a
    // request's headers may take a little longer than that, as Node requires.
    server.keepAliveTimeout = auth.config.http.keepAliveTimeout;
    server.headersTimeout = auth.config.http.keepAliveTimeout + 1_000;
    const handler = toNodeHandler(auth);
    const home = `${auth.config.prefix.replace(/\/+$/, "")}/account`;
    server.on("request", (req, res) => {
      if (req.url === "/" && (req.method === "GET" || req.method === "HEAD")) {
        res.writeHead(302, { location: home });
        res.end();
        return;
      }
      handler(req, res);
    });
    const listening = {
      url: `http://${host ?? "localhost"}:${actualPort}`,
      origins: auth.config.rp.origins,
      prefix: auth.config.prefix,
    };
    if (cluster.isWorker) {
      process.send?.({ type: "keyward-listening", listening } satisfies WorkerReady);
    } else
      cli.out(
        cli.options.json === true
          ? JSON.stringify({ listening })
          : `Keyward listening on ${listening.url} (API and pages under ${listening.prefix}; origins ${listening.origins.join(", ")})`,
      );

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    cli.log(`keyward: ${signal}: finishing requests in flight, then stopping`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await auth.close();
    server.closeAllConnections();
    await closed;
    // A worker's channel to the primary would keep it running: let go of it, so it ends.
    if (cluster.isWorker) process.disconnect?.();
    return { json: undefined, text: "" };
  },
};

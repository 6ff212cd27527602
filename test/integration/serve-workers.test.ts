import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { PASSWORD, uniqueEmail } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { cookieHeader, type HttpResult, keepCookies } from "../helpers/harness.js";
import { sharedRedis } from "../helpers/redis.js";

// `keyward serve --workers 2`, run as an operator would (the repo's bin), on one SQLite file and
// on PostgreSQL + Redis: both processes answer, a ceremony started on one finishes on the other,
// and SIGTERM ends them all. Which process answered is read from Linux's /proc (the process that
// holds the accepted socket), so the server tells clients nothing about its processes.
const root = join(import.meta.dirname, "..", "..");
const postgres = (await databaseTargets()).find((t) => t.name === "postgres");
const redisUrl = postgres ? await sharedRedis() : undefined;
const onLinux = existsSync("/proc/net/tcp");

interface Served {
  primary: ChildProcess;
  port: number;
  exited: Promise<number | null>;
  stderr: () => string;
}

async function serveWithWorkers(env: Record<string, string | undefined>): Promise<Served> {
  const primary = spawn(
    process.execPath,
    [
      join(root, "bin", "keyward.js"),
      "serve",
      "--workers",
      "2",
      "--port",
      "0",
      "--host",
      "127.0.0.1",
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        KEYWARD_DATABASE: undefined,
        KEYWARD_REDIS: undefined,
        KEYWARD_SECRET: "workers-test-secret-0123456789-abcdefghijkl",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  primary.stderr?.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => primary.on("close", resolve));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = "";
    primary.stdout?.on("data", (chunk) => {
      stdout += chunk;
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+) with 2 processes/.exec(stdout);
      if (match) resolve(Number(match[1]));
    });
    primary.on("close", (code) => reject(new Error(`serve exited (${code}): ${stderr}`)));
  });
  return { primary, port, exited, stderr: () => stderr };
}

/** The cluster's workers: the processes `pid` started that run `keyward serve` (not tsx's esbuild). */
function workersOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may hold spaces and parentheses: the fields follow its last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (ppid === pid && command.includes("serve")) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, "0");

/** Which of `pids` holds the server's end of the TCP connection from `clientPort` to `port`. */
function servingProcess(port: number, clientPort: number, pids: number[]): number | undefined {
  const line = readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .map((row) => row.trim().split(/\s+/))
    .find((f) => f[1]?.endsWith(`:${hexPort(port)}`) && f[2]?.endsWith(`:${hexPort(clientPort)}`));
  const inode = line?.[9];
  if (!inode || inode === "0") return undefined;
  return pids.find((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`;
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
}

/**
 * A browser-like client on one kept-alive connection: every request it sends reaches the same
 * server process. Cookies are shared between clients, like one browser behind a balancer.
 */
class PinnedClient {
  readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  clientPort: number | undefined;

  constructor(
    readonly port: number,
    readonly cookies: Map<string, string>,
  ) {}

  send<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<HttpResult<T>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: this.port,
          method,
          path: `/auth${path}`,
          agent: this.agent,
          headers: {
            ...(payload ? { "content-type": "application/json" } : {}),
            ...(this.cookies.size ? { cookie: cookieHeader(this.cookies) } : {}),
          },
        },
        (res) => {
          const port = res.socket.localPort;
          // The connection must never change under a client: its process is the point.
          if (this.clientPort !== undefined && port !== this.clientPort) {
            reject(new Error("the pinned connection was replaced"));
          }
          this.clientPort = port;
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk) => (text += chunk));
          res.on("end", () => {
            const headers = new Headers();
            for (const line of res.headers["set-cookie"] ?? []) headers.append("set-cookie", line);
            keepCookies(this.cookies, headers);
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T, headers });
          });
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Opens connections until two reach different workers; returns one client per worker. */
async function oneClientPerWorker(
  port: number,
  workers: number[],
  cookies: Map<string, string>,
): Promise<Array<{ client: PinnedClient; pid: number }>> {
  const found = new Map<number, PinnedClient>();
  for (let attempt = 0; attempt < 40 && found.size < 2; attempt += 1) {
    const client = new PinnedClient(port, cookies);
    expect((await client.send("GET", "/health")).status).toBe(200);
    const pid = servingProcess(port, client.clientPort!, workers);
    if (pid !== undefined && !found.has(pid)) found.set(pid, client);
    else client.close();
  }
  expect(found.size, "two connections answered by two different workers").toBe(2);
  return [...found].map(([pid, client]) => ({ client, pid }));
}

const cases = [
  {
    name: "one SQLite file (ephemeral state in the database)",
    skip: false,
    setup: () => {
      const dir = mkdtempSync(join(tmpdir(), "keyward-workers-"));
      return {
        env: { KEYWARD_DATABASE: `sqlite:${join(dir, "keyward.db")}` },
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: "PostgreSQL + Redis",
    skip: !postgres || !redisUrl,
    setup: () => {
      const database = postgres!.url();
      return {
        env: { KEYWARD_DATABASE: database, KEYWARD_REDIS: redisUrl! },
        cleanup: () => postgres!.drop(database),
      };
    },
  },
];

describe.skipIf(!onLinux).each(cases)("keyward serve --workers 2 on $name", (testCase) => {
  let served: Served;
  let cleanup: () => Promise<void> = async () => {};
  let workers: number[] = [];
  const clients: PinnedClient[] = [];

  beforeAll(async () => {
    if (testCase.skip) return;
    const setup = testCase.setup();
    cleanup = setup.cleanup;
    served = await serveWithWorkers(setup.env);
    workers = workersOf(served.primary.pid!);
  }, 90_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    if (served && served.primary.exitCode === null) {
      served.primary.kill("SIGTERM");
      await served.exited;
    }
    await cleanup();
  });

  it.skipIf(testCase.skip)(
    "serves from two processes, and a ceremony started on one finishes on the other",
    async () => {
      expect(workers, served.stderr()).toHaveLength(2);
      const cookies = new Map<string, string>();
      const [a, b] = await oneClientPerWorker(served.port, workers, cookies);
      clients.push(a!.client, b!.client);
      expect(a!.pid).not.toBe(b!.pid);
      const origin = `http://localhost:${served.port}`;

      const email = uniqueEmail("workers");
      const signedUp = await a!.client.send("POST", "/register", { email, password: PASSWORD });
      expect(signedUp.status, JSON.stringify(signedUp.body)).toBe(201);

      // Registration: options from one worker, the response to the other.
      const authenticator = new SoftwareAuthenticator({ origin });
      const start = await a!.client.send<{ options: never; state: string }>(
        "POST",
        "/wan-register",
        { name: "laptop", usage: "first" },
      );
      expect(start.status, JSON.stringify(start.body)).toBe(200);
      const credential = await authenticator.register(start.body.options);
      const registered = await b!.client.send("POST", "/wan-register-response", {
        state: start.body.state,
        credential,
      });
      expect(registered.status, JSON.stringify(registered.body)).toBe(201);

      // Sign-in the other way round, in a fresh browser.
      const fresh = new Map<string, string>();
      const [x, y] = await oneClientPerWorker(served.port, workers, fresh);
      clients.push(x!.client, y!.client);
      const signinStart = await x!.client.send<{ options: never; state: string }>(
        "POST",
        "/wan-signin",
        {},
      );
      expect(signinStart.status, JSON.stringify(signinStart.body)).toBe(200);
      const assertion = await authenticator.authenticate(signinStart.body.options);
      const signedIn = await y!.client.send<{ user: { email: string } }>(
        "POST",
        "/wan-signin-response",
        { state: signinStart.body.state, credential: assertion },
      );
      expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
      expect(signedIn.body.user.email).toBe(email);
      // The session works on both processes.
      expect((await x!.client.send("GET", "/me")).status).toBe(200);
      expect((await y!.client.send("GET", "/me")).status).toBe(200);
      // A state spent on one process is spent on the other.
      const replayed = await x!.client.send("POST", "/wan-signin-response", {
        state: signinStart.body.state,
        credential: assertion,
      });
      expect(replayed.status).toBe(400);
      expect(replayed.body).toMatchObject({ error: { code: "STATE_INVALID" } });
    },
    90_000,
  );

  it.skipIf(testCase.skip)(
    "stops every process on SIGTERM",
    async () => {
      for (const client of clients) client.close();
      served.primary.kill("SIGTERM");
      expect(await served.exited, served.stderr()).toBe(0);
      // The workers are gone too (the primary waits for them before it exits).
      for (const pid of workers) expect(existsSync(`/proc/${pid}`), `worker ${pid}`).toBe(false);
    },
    60_000,
  );
});

import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";

export const REDIS_URL = process.env.KEYWARD_TEST_REDIS ?? "redis://127.0.0.1:6379";

/**
 * The shared Redis for multi-instance tests, as a URL with a key prefix unique to this call.
 * Required in CI (CI=true); elsewhere its absence skips those tests with a printed reason.
 * Returns undefined when skipping.
 */
export async function sharedRedis(): Promise<string | undefined> {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
    // A key prefix of its own: counters and states of other runs never meet this one's.
    return `${REDIS_URL}?prefix=kwtest-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}:`;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.CI === "true")
      throw new Error(`Redis at ${REDIS_URL} is required in CI but unreachable: ${reason}`);
    console.warn(`Skipping Redis tests: ${REDIS_URL} unreachable (${reason})`);
    return undefined;
  } finally {
    client.disconnect();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** A Redis server owned by one test, on its own port, that the test can stop and restart. */
export class OwnedRedis {
  private process: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  static async start(): Promise<OwnedRedis> {
    const owned = new OwnedRedis(await freePort());
    await owned.restart();
    return owned;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    const child = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.process = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("redis-server did not start")), 5000);
      child.stdout?.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on("error", reject);
    });
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }
}

/** The key prefix a URL from sharedRedis() carries. */
export function keyPrefixOf(url: string): string {
  return new URL(url).searchParams.get("prefix") ?? "keyward:";
}

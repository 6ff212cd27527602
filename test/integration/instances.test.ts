import { type ChildProcess, spawn } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { PASSWORD, registerKey, signUp } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { TestClient } from "../helpers/harness.js";
import { sharedRedis } from "../helpers/redis.js";

// Two Keyward processes sharing PostgreSQL (durable data) and Redis (ceremony states).
const targets = await databaseTargets();
const postgres = targets.find((t) => t.name === "postgres");
const redisUrl = postgres ? await sharedRedis() : undefined;
const ORIGIN = "http://localhost:3000";

interface Instance {
  child: ChildProcess;
  baseUrl: string;
}

async function startInstance(database: string, redis: string): Promise<Instance> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/server-process.ts"], {
    env: {
      ...process.env,
      KEYWARD_DATABASE: database,
      KEYWARD_REDIS: redis,
      KEYWARD_RATE_LIMITS_SIGNIN_FAILURES_PER_ACCOUNT: "3",
      // The load test starts hundreds of sign-ins from 127.0.0.1.
      KEYWARD_RATE_LIMITS_CEREMONY_STARTS_PER_IP: "10000",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("instance did not start")), 30_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      const match = /READY (\d+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on("exit", (code) => reject(new Error(`instance exited with ${code}`)));
  });
  return { child, baseUrl: `http://127.0.0.1:${port}` };
}

async function stopInstance(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    instance.child.once("exit", () => resolve());
    instance.child.kill("SIGTERM");
  });
}

/** A client whose cookies are shared across instances, like a browser behind a load balancer. */
function clientOn(instance: Instance, cookies?: Map<string, string>): TestClient {
  const client = new TestClient(instance.baseUrl);
  if (cookies) for (const [k, v] of cookies) client.cookies.set(k, v);
  return client;
}

describe.skipIf(!postgres || !redisUrl)("two instances on PostgreSQL + Redis", () => {
  let database: string;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    database = postgres!.url();
    // Both start at once: migrations must run exactly once under the migration lock.
    [a, b] = await Promise.all([
      startInstance(database, redisUrl!),
      startInstance(database, redisUrl!),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map(stopInstance));
    await postgres?.drop(database);
  });

  it("completes on B a registration and a sign-in started on A, and refuses the replay on A", async () => {
    const onA = clientOn(a);
    await signUp(onA);
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const start = await onA.post<{ options: never; state: string }>("/wan-register", {
      name: "k",
      usage: "first",
    });
    const onB = clientOn(b, onA.cookies);
    const credential = await authenticator.register(start.body.options);
    const registered = await onB.post("/wan-register-response", {
      state: start.body.state,
      credential,
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);

    const signin = await clientOn(a).post<{ options: never; state: string }>("/wan-signin", {});
    const assertion = await authenticator.authenticate(signin.body.options);
    const done = await clientOn(b).post("/wan-signin-response", {
      state: signin.body.state,
      credential: assertion,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const replay = await clientOn(a).post("/wan-signin-response", {
      state: signin.body.state,
      credential: assertion,
    });
    expect(replay.body).toMatchObject({ error: { code: "STATE_INVALID" } });
  });

  it("under concurrent load, each state is consumed once and each success yields exactly one session", async () => {
    const users = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const client = clientOn(i % 2 === 0 ? a : b);
        await signUp(client);
        // A synced passkey's counter (always zero): each user's key signs several assertions
        // at once here, and an incrementing counter would arrive out of order, read as a
        // possible clone whose flag ends the sessions the key earned (counterPolicy "warn").
        const authenticator = new SoftwareAuthenticator({ origin: ORIGIN, counter: "zero" });
        const reg = await registerKey(client, authenticator, { name: "k", usage: "first" });
        expect(reg.status).toBe(201);
        const me = await client.get<{ user: { id: string } }>("/me");
        return { authenticator, userId: me.body.user.id };
      }),
    );
    const instances = [a, b];
    const attempts = 200;
    const concurrency = 32;
    let next = 0;
    let successes = 0;
    let doubleWins = 0;
    const unexpected: unknown[] = [];
    const successesByUser = new Map<string, number>();
    async function worker() {
      while (next < attempts) {
        const n = next++;
        const user = users[n % users.length]!;
        const start = await clientOn(instances[n % 2]!).post<{ options: never; state: string }>(
          "/wan-signin",
          {},
        );
        const assertion = await user.authenticator.authenticate(start.body.options);
        // Every state is submitted to both instances at once: exactly one may win.
        const results = await Promise.all(
          instances.map((instance) =>
            clientOn(instance).post("/wan-signin-response", {
              state: start.body.state,
              credential: assertion,
            }),
          ),
        );
        const wins = results.filter((r) => r.status === 200);
        if (wins.length === 1) {
          successes += 1;
          successesByUser.set(user.userId, (successesByUser.get(user.userId) ?? 0) + 1);
        } else doubleWins += 1;
        for (const r of results) {
          if (
            r.status !== 200 &&
            (r.body as { error?: { code?: string } }).error?.code !== "STATE_INVALID"
          ) {
            unexpected.push(r.body);
          }
        }
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker));
    expect(unexpected).toEqual([]);
    expect(doubleWins).toBe(0);
    expect(successes).toBe(attempts);

    // Sessions in the database: one per sign-up plus one per successful sign-in, per user.
    const schema = new URL(database).searchParams.get("schema");
    const client = new pg.Client({ connectionString: database.replace(/\?.*$/, "") });
    await client.connect();
    try {
      for (const { userId } of users) {
        const { rows } = await client.query(
          `select count(*)::int as n from "${schema}".sessions where user_id = $1`,
          [userId],
        );
        expect(rows[0].n).toBe(1 + (successesByUser.get(userId) ?? 0));
      }
    } finally {
      await client.end();
    }
  }, 120_000);

  it("answers /health on both instances", async () => {
    for (const instance of [a, b]) {
      const health = await clientOn(instance).get("/health");
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: "ok", database: "ok", redis: "ok" });
    }
  });

  it("applies on B a failed-sign-in limit counted on A", async () => {
    const email = await signUp(clientOn(a));
    for (let i = 0; i < 3; i += 1) {
      const failed = await clientOn(a).post("/login", {
        identity: email,
        password: "wrong password",
      });
      expect(failed.body).toMatchObject({ error: { code: "INVALID_CREDENTIALS" } });
    }
    const onB = await clientOn(b).post("/login", { identity: email, password: PASSWORD });
    expect(onB.status).toBe(429);
    expect(onB.body).toMatchObject({ error: { code: "RATE_LIMITED" } });
    expect(Number(onB.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("keeps a password sign-in on A valid on B", async () => {
    const onA = clientOn(a);
    const email = await signUp(onA);
    const login = await clientOn(b).post("/login", { identity: email, password: PASSWORD });
    expect(login.status).toBe(200);
  });
});

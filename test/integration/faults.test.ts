import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { signUp, startKeyRegistration } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { OwnedRedis, sharedRedis } from "../helpers/redis.js";

const targets = await databaseTargets();
const postgres = targets.find((t) => t.name === "postgres");
const redisAvailable = (await sharedRedis()) !== undefined;

describe.skipIf(!redisAvailable)("Redis faults", () => {
  let redis: OwnedRedis;
  let h: Harness;
  beforeAll(async () => {
    redis = await OwnedRedis.start();
    h = await startHarness(targets[0]!, { redis: redis.url });
  });
  afterAll(async () => {
    await h?.close();
    await redis?.stop();
  });

  it("answers 503 STORE_UNAVAILABLE while Redis is down, and recovers without a restart", async () => {
    const client = h.client();
    expect((await client.post("/wan-signin", {})).status).toBe(200);

    await redis.stop();
    const down = await client.post("/wan-signin", {});
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ error: { code: "STORE_UNAVAILABLE" } });
    expect(down.headers.get("retry-after")).toBe("5");
    const health = await client.get("/health");
    expect(health.status).toBe(503);

    await redis.restart();
    let recovered = 0;
    for (let attempt = 0; attempt < 50 && recovered !== 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      recovered = (await client.post("/wan-signin", {})).status;
    }
    expect(recovered).toBe(200);
    expect((await client.get("/health")).status).toBe(200);
  });
});

describe.skipIf(!postgres)("PostgreSQL faults", () => {
  let h: Harness;
  let admin: pg.Client;
  beforeAll(async () => {
    h = await startHarness(postgres!);
    admin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/test" });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await h?.close();
  });

  /** Holds a lock so the app's next write to `table` blocks, and returns a way to kill that backend. */
  async function blockWritesTo(table: string) {
    await admin.query("begin");
    const schema = new URL(h.databaseUrl).searchParams.get("schema");
    await admin.query(`lock table "${schema}"."${table}" in exclusive mode`);
    return {
      async killBlockedBackend() {
        for (let i = 0; i < 100; i += 1) {
          // Inside a transaction the activity view is a snapshot unless it is cleared.
          await admin.query("select pg_stat_clear_snapshot()");
          // Only a backend waiting on this lock, never another test's backend that happens to
          // touch a table of the same name in its own schema.
          const { rows } = await admin.query(
            "select pid from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))",
          );
          if (rows.length > 0) {
            for (const row of rows) await admin.query("select pg_terminate_backend($1)", [row.pid]);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error("no blocked backend appeared");
      },
      release: () => admin.query("rollback"),
    };
  }

  it("stores no half credential when the connection dies mid-ceremony, then recovers", async () => {
    const client = h.client();
    await signUp(client);
    const userId = (await client.get<{ user: { id: string } }>("/me")).body.user.id;
    const authenticator = new SoftwareAuthenticator({ origin: h.origin });
    const { options, state } = await startKeyRegistration(client, { name: "k", usage: "first" });
    const credential = await authenticator.register(options);

    const block = await blockWritesTo("webauthn_credentials");
    const pending = client.post("/wan-register-response", { state, credential });
    await block.killBlockedBackend();
    await block.release();
    const result = await pending;
    expect(result.status).toBe(503);
    expect(result.body).toMatchObject({ error: { code: "STORE_UNAVAILABLE" } });
    expect(await h.store.credentials.listForUser(userId)).toEqual([]);
    expect(await h.store.events.list({ userId, type: "webauthn.registered" })).toEqual([]);

    // The pool replaces the dead connection: the next ceremony succeeds without a restart.
    const again = await startKeyRegistration(client, { name: "k", usage: "first" });
    const retry = await client.post("/wan-register-response", {
      state: again.state,
      credential: await authenticator.register(again.options, { ignoreExcludeCredentials: true }),
    });
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(await h.store.credentials.listForUser(userId)).toHaveLength(1);
  });

  it("creates no account without its session when the connection dies during sign-up", async () => {
    const block = await blockWritesTo("sessions");
    const client = h.client();
    const pending = client.post("/register", {
      email: "halfway@example.com",
      password: "correct horse battery",
    });
    await block.killBlockedBackend();
    await block.release();
    const result = await pending;
    expect(result.status).toBe(503);
    expect(await h.store.users.byEmail("halfway@example.com")).toBeUndefined();
    const retry = await client.post("/register", {
      email: "halfway@example.com",
      password: "correct horse battery",
    });
    expect(retry.status).toBe(201);
  });
});

describe.each(targets)("lifecycle on $name", (target) => {
  it("finishes in-flight requests on close and refuses new ones", async () => {
    const h = await startHarness(target);
    // A sign-up (an argon2 hash) is in flight from the moment fetch is called.
    const inFlight = h.auth.fetch(
      new Request(`${h.origin}/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "late@example.com", password: "correct horse battery" }),
      }),
    );
    const closing = h.auth.close();
    const refused = await h.client().get("/health");
    expect(refused.status).toBe(503);
    expect((await inFlight).status).toBe(201);
    await closing;
    await h.close();
  });

  it("cleans up expired ceremony states and sessions", async () => {
    const h = await startHarness(target);
    try {
      const client = h.client();
      await signUp(client);
      await client.post("/wan-signin", {});
      h.clock.advance(31 * 24 * 3_600_000);
      const result = await h.auth.api.cleanup();
      expect(result.ceremonies).toBeGreaterThanOrEqual(1);
      expect(result.sessions).toBeGreaterThanOrEqual(1);
      expect(await h.auth.api.cleanup()).toEqual({
        ceremonies: 0,
        sessions: 0,
        oneTimeCodes: 0,
        rateLimits: 0,
        accountTokens: 0,
      });
    } finally {
      await h.close();
    }
  });
});

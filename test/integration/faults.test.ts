import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import {
  PASSWORD,
  registerFirstKeyAndSignIn,
  signInWithKey,
  signUp,
  startKeyRegistration,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { OwnedRedis, sharedRedis } from "../helpers/redis.js";

const targets = await databaseTargets();
const postgres = targets.find((t) => t.name === "postgres");
const sqliteFile = targets.find((t) => t.name === "sqlite")!;
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
    // Each service is reported on its own: the database answered, Redis did not.
    expect(health.body).toMatchObject({
      error: { code: "STORE_UNAVAILABLE", details: { database: "ok", redis: "unavailable" } },
    });

    await redis.restart();
    let recovered = 0;
    for (let attempt = 0; attempt < 50 && recovered !== 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      recovered = (await client.post("/wan-signin", {})).status;
    }
    expect(recovered).toBe(200);
    const healthy = await client.get("/health");
    expect(healthy.status).toBe(200);
    expect(healthy.body).toEqual({ status: "ok", database: "ok", redis: "ok" });
  });
});

const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/test";

/**
 * Holds a lock so the app's next write to `table` blocks. Only backends blocked by this lock
 * are the harness's own (another suite's backends wait on other locks), so those are the ones
 * waited for and killed.
 */
async function blockWritesTo(admin: pg.Client, h: Harness, table: string) {
  await admin.query("begin");
  const schema = new URL(h.databaseUrl).searchParams.get("schema");
  await admin.query(`lock table "${schema}"."${table}" in exclusive mode`);
  const blocked = async (): Promise<number[]> => {
    for (let i = 0; i < 200; i += 1) {
      // Inside a transaction the activity view is a snapshot unless it is cleared.
      await admin.query("select pg_stat_clear_snapshot()");
      const { rows } = await admin.query<{ pid: number }>(
        "select pid from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))",
      );
      if (rows.length > 0) return rows.map((row) => row.pid);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("no blocked backend appeared");
  };
  return {
    /** Resolves once a request of the harness waits on the lock. */
    blocked,
    async killBlockedBackend() {
      for (const pid of await blocked()) {
        await admin.query("select pg_terminate_backend($1)", [pid]);
      }
    },
    release: () => admin.query("rollback"),
  };
}

describe.skipIf(!postgres)("PostgreSQL pool and store-layer faults", () => {
  let h: Harness;
  let admin: pg.Client;
  beforeAll(async () => {
    // One pooled connection, and a short wait for it.
    h = await startHarness(
      { ...postgres!, url: () => `${postgres!.url()}&pool=1` },
      { databasePoolWait: 300 },
    );
    admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await h?.close();
  });

  it("answers /health from its own connection while the pool is stuck, and refuses a request that waited past databasePoolWait", async () => {
    const block = await blockWritesTo(admin, h, "sessions");
    const stuck = h.client().post("/register", {
      email: "stuck@example.com",
      password: "correct horse battery",
    });
    try {
      await block.blocked();
      const health = await h.client().get("/health");
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: "ok", database: "ok" });
      // Without Redis a sign-in start writes its state in SQL: it needs the pool's connection.
      const waited = await h.client().post("/wan-signin", {});
      expect(waited.status).toBe(503);
      expect(waited.body).toMatchObject({ error: { code: "STORE_UNAVAILABLE" } });
      // Neither answer waited for the stuck request.
      const state = await Promise.race([stuck.then(() => "answered"), Promise.resolve("waiting")]);
      expect(state).toBe("waiting");
    } finally {
      await block.release();
    }
    expect((await stuck).status).toBe(201);
  });

  it("answers 500 INTERNAL, logs the cause and keeps nothing when the store layer meets a bug", async () => {
    const schema = new URL(h.databaseUrl).searchParams.get("schema");
    const logged: unknown[][] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args) => {
      logged.push(args);
    });
    // Keyward's SQL no longer matches the schema: a bug (or a bad migration), not an outage.
    await admin.query(`alter table "${schema}"."events" rename column detail to detail_gone`);
    try {
      const result = await h.client().post("/register", {
        email: "bug@example.com",
        password: "correct horse battery",
      });
      expect(result.status).toBe(500);
      expect(result.body).toMatchObject({ error: { code: "INTERNAL" } });
      expect(result.headers.get("retry-after")).toBeNull();
      expect(await h.store.users.byEmail("bug@example.com")).toBeUndefined();
      const causes = logged.filter((args) => args[0] === "keyward: unexpected error");
      expect(causes.map((args) => (args[1] as { code?: string }).code)).toContain("42703");
    } finally {
      spy.mockRestore();
      await admin.query(`alter table "${schema}"."events" rename column detail_gone to detail`);
    }
  });
});

describe.skipIf(!postgres)("PostgreSQL faults", () => {
  let h: Harness;
  let admin: pg.Client;
  beforeAll(async () => {
    h = await startHarness(postgres!);
    admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await h?.close();
  });

  it("stores no half credential when the connection dies mid-ceremony, then recovers", async () => {
    const client = h.client();
    await signUp(client);
    const userId = (await client.get<{ user: { id: string } }>("/me")).body.user.id;
    const authenticator = new SoftwareAuthenticator({ origin: h.origin });
    const { options, state } = await startKeyRegistration(client, { name: "k", usage: "first" });
    const credential = await authenticator.register(options);

    const block = await blockWritesTo(admin, h, "webauthn_credentials");
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
    const block = await blockWritesTo(admin, h, "sessions");
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

describe("SQLite faults", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(sqliteFile);
  });
  afterAll(async () => {
    await h?.close();
  });

  /**
   * Makes every new session's insert end its whole transaction, as SQLite does on a full disk
   * or an I/O error (not only the statement: the transaction). Returns the undo.
   */
  const failLikeAFullDisk = () => {
    const file = h.databaseUrl.slice("sqlite:".length);
    const side = new BetterSqlite3(file);
    side.exec(`create trigger full_disk before insert on sessions
      begin select raise(rollback, 'database or disk is full'); end`);
    side.close();
    return () => {
      const again = new BetterSqlite3(file);
      again.exec("drop trigger full_disk");
      again.close();
    };
  };

  it("answers 503 and keeps nothing when SQLite ends a transaction itself, then recovers", async () => {
    const client = h.client();
    const email = await signUp(client);
    const key = new SoftwareAuthenticator({ origin: h.origin });
    await registerFirstKeyAndSignIn(client, key, { name: "k" });
    const userId = (await client.get<{ user: { id: string } }>("/me")).body.user.id;
    const sessionsBefore = (await h.store.sessions.listForUser(userId)).length;
    const undo = failLikeAFullDisk();
    try {
      const signIn = await signInWithKey(h.client(), key);
      const password = await h.client().post("/login", { identity: email, password: PASSWORD });
      const signUpAgain = await h.client().post("/register", {
        email: "full-disk@example.com",
        password: PASSWORD,
      });
      for (const result of [signIn, password, signUpAgain]) {
        expect(result.status, JSON.stringify(result.body)).toBe(503);
        expect(result.body).toMatchObject({ error: { code: "STORE_UNAVAILABLE" } });
      }
      expect(await h.store.sessions.listForUser(userId)).toHaveLength(sessionsBefore);
      // The account and its session are one unit of work: no account without its session.
      expect(await h.store.users.byEmail("full-disk@example.com")).toBeUndefined();
    } finally {
      undo();
    }
    const after = await signInWithKey(h.client(), key);
    expect(after.status, JSON.stringify(after.body)).toBe(200);
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

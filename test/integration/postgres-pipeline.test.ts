import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../src/core/ids.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import {
  registerFirstKeyAndSignIn,
  signInWithKey,
  signUp,
  startKeySignin,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { socketWritesTo } from "../helpers/socket-writes.js";

// A PostgreSQL sign-in sends its writes (session, key use, event) unawaited behind BEGIN and
// COMMIT (store/kysely/postgres-driver.ts): one failing must still undo the others.
const postgres = (await databaseTargets()).find((t) => t.name === "postgres");

describe.skipIf(!postgres)("PostgreSQL sign-in writes in one pipeline", () => {
  let h: Harness;
  let admin: pg.Client;
  let schema: string;
  beforeAll(async () => {
    h = await startHarness(postgres!);
    schema = new URL(h.databaseUrl).searchParams.get("schema")!;
    admin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/test" });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await h?.close();
  });

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await admin.query<{ n: string }>(sql, params)).rows[0]!.n);

  it("commits the session, the key's use and the event together", async () => {
    const client = h.client();
    await signUp(client);
    const authenticator = new SoftwareAuthenticator({ origin: h.origin });
    await registerFirstKeyAndSignIn(client, authenticator, { name: "laptop" });
    const userId = (await client.get<{ user: { id: string } }>("/me")).body.user.id;
    const sessions = await count(
      `select count(*) as n from "${schema}".sessions where user_id = $1`,
      [userId],
    );
    const events = await count(
      `select count(*) as n from "${schema}".events where user_id = $1 and type = 'webauthn.signin'`,
      [userId],
    );
    const signedIn = await signInWithKey(h.client(), authenticator);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(
      await count(`select count(*) as n from "${schema}".sessions where user_id = $1`, [userId]),
    ).toBe(sessions + 1);
    expect(
      await count(
        `select count(*) as n from "${schema}".events where user_id = $1 and type = 'webauthn.signin'`,
        [userId],
      ),
    ).toBe(events + 1);
  });

  it("sends the sign-in's transaction, BEGIN to COMMIT, in one write to the socket", async () => {
    const client = h.client();
    await signUp(client);
    const authenticator = new SoftwareAuthenticator({ origin: h.origin });
    await registerFirstKeyAndSignIn(client, authenticator, { name: "laptop" });
    const port = Number(new URL(h.databaseUrl).port || 5432);
    // What this process writes to PostgreSQL while the sign-in runs, one entry per system call.
    const writes = await socketWritesTo(port, async () => {
      const signedIn = await signInWithKey(h.client(), authenticator);
      expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    });
    const transaction = writes.filter((w) => w.includes("commit"));
    expect(transaction, "one COMMIT").toHaveLength(1);
    // BEGIN, the writes (Bind/Execute of prepared statements) and COMMIT in one packet.
    expect(transaction[0]).toContain("begin");
    expect(transaction[0]!.split("E\u0000").length - 1).toBeGreaterThanOrEqual(4);
  });

  it("signs in with a key (options and response) in at most 8 statements, 3 round trips and 3 commits", async () => {
    const client = h.client();
    await signUp(client);
    const authenticator = new SoftwareAuthenticator({ origin: h.origin });
    await registerFirstKeyAndSignIn(client, authenticator, { name: "laptop" });
    // Every statement this process sends while the sign-in runs: a statement sent while none
    // is outstanding on its connection starts a round trip; COMMIT, and a write outside a
    // transaction, commit.
    const seen = { statements: 0, roundTrips: 0, commits: 0 };
    const outstanding = new WeakMap<object, number>();
    const inTransaction = new WeakSet<object>();
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const first = args[0];
      const sql = typeof first === "string" ? first : ((first as { text?: string }).text ?? "");
      seen.statements += 1;
      const waiting = outstanding.get(this) ?? 0;
      if (waiting === 0) seen.roundTrips += 1;
      outstanding.set(this, waiting + 1);
      if (/^\s*begin/i.test(sql)) inTransaction.add(this);
      else if (/^\s*commit/i.test(sql)) seen.commits += 1;
      else if (!inTransaction.has(this) && !/^\s*(select|rollback)/i.test(sql)) seen.commits += 1;
      if (/^\s*(commit|rollback)/i.test(sql)) inTransaction.delete(this);
      const reply = (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
      const settle = () => outstanding.set(this, (outstanding.get(this) ?? 1) - 1);
      reply.then(settle, settle);
      return reply;
    } as typeof original;
    try {
      const signedIn = await signInWithKey(h.client(), authenticator);
      expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    } finally {
      pg.Client.prototype.query = original;
    }
    // Options: the start's counter and its state, one statement. Response: the attempt's
    // reservation, the state and the key's lookup, one statement; then the transaction
    // (BEGIN, session, key use, refund, events, COMMIT), one round trip.
    expect(seen.commits).toBeLessThanOrEqual(3);
    expect(seen.roundTrips).toBeLessThanOrEqual(3);
    expect(seen.statements).toBeLessThanOrEqual(8);
  });

  it("answers 503 and keeps the sign-in state when the attempt's reservation fails (they are one statement)", async () => {
    const client = h.client();
    await signUp(client);
    const authenticator = new SoftwareAuthenticator({ origin: h.origin });
    await registerFirstKeyAndSignIn(client, authenticator, { name: "laptop" });
    const signer = h.client();
    const { options, state } = await startKeySignin(signer, {});
    const credential = await authenticator.authenticate(options);
    const stored = () =>
      count(`select count(*) as n from "${schema}".ceremonies where id_hash = $1`, [
        hashToken(state),
      ]);
    expect(await stored()).toBe(1);
    await admin.query(`create function "${schema}".refuse_count() returns trigger language plpgsql as
      $$ begin if new.key like 'signin-fail:ip:%' then raise exception 'disk says no'; end if; return new; end $$`);
    await admin.query(`create trigger refuse_count before insert or update on "${schema}".rate_limits
      for each row execute function "${schema}".refuse_count()`);
    try {
      const refused = await signer.post("/wan-signin-response", { state, credential });
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: { code: "STORE_UNAVAILABLE" } });
      expect(refused.headers.get("set-cookie") ?? "").not.toContain("keyward_session=");
      // Nothing changed: the state the failed statement would have taken is still there.
      expect(await stored()).toBe(1);
    } finally {
      await admin.query(`drop trigger refuse_count on "${schema}".rate_limits`);
    }
    const signedIn = await signer.post("/wan-signin-response", { state, credential });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(await stored()).toBe(0);
  });

  it("keeps neither the session nor the key's use when the last write of the sign-in fails", async () => {
    const client = h.client();
    await signUp(client);
    const authenticator = new SoftwareAuthenticator({ origin: h.origin });
    await registerFirstKeyAndSignIn(client, authenticator, { name: "laptop" });
    const userId = (await client.get<{ user: { id: string } }>("/me")).body.user.id;
    const keyUse = async () =>
      (
        await admin.query(
          `select sign_count, last_used_at from "${schema}".webauthn_credentials where user_id = $1`,
          [userId],
        )
      ).rows;
    const sessions = () =>
      count(`select count(*) as n from "${schema}".sessions where user_id = $1`, [userId]);
    const usedBefore = await keyUse();
    const sessionsBefore = await sessions();
    // The IP's failed-sign-in counter: the refund of this sign-in's reservation is one of its
    // writes (PostgreSQL alone), and a store fault is no failed guess either way.
    const ipFailures = () =>
      count(
        `select coalesce(sum(count), 0) as n from "${schema}".rate_limits where key like 'signin-fail:ip:%'`,
      );
    const failuresBefore = await ipFailures();

    // The event, sent last and unawaited, is refused by the database.
    await admin.query(`create function "${schema}".refuse_signin() returns trigger language plpgsql as
      $$ begin if new.type = 'webauthn.signin' then raise exception 'disk says no'; end if; return new; end $$`);
    await admin.query(`create trigger refuse_signin before insert on "${schema}".events
      for each row execute function "${schema}".refuse_signin()`);
    try {
      const refused = await signInWithKey(h.client(), authenticator);
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: { code: "STORE_UNAVAILABLE" } });
      expect(refused.headers.get("set-cookie") ?? "").not.toContain("keyward_session=");
      expect(await sessions()).toBe(sessionsBefore);
      expect(await keyUse()).toEqual(usedBefore);
      expect(await ipFailures()).toBe(failuresBefore);
    } finally {
      await admin.query(`drop trigger refuse_signin on "${schema}".events`);
    }
    // The connection that carried the failed pipeline serves the next sign-in.
    const again = await signInWithKey(h.client(), authenticator);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(await sessions()).toBe(sessionsBefore + 1);
    expect(await ipFailures()).toBe(failuresBefore);
  });
});

describe.skipIf(!postgres)("PostgreSQL prepared statements across a migration", () => {
  let h: Harness;
  let admin: pg.Client;
  beforeAll(async () => {
    // One pooled connection: the statements prepared before the change are the ones used after.
    h = await startHarness({ ...postgres!, url: () => `${postgres!.url()}&pool=1` });
    admin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/test" });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await h?.close();
  });

  it("prepares its statements again when another instance adds columns to their tables", async () => {
    const client = h.client();
    await signUp(client);
    const authenticator = new SoftwareAuthenticator({ origin: h.origin });
    await registerFirstKeyAndSignIn(client, authenticator, { name: "laptop" });
    expect((await client.get("/me")).status).toBe(200);

    // What a newer instance's migration might do while this one runs.
    const schema = new URL(h.databaseUrl).searchParams.get("schema");
    for (const table of ["users", "webauthn_credentials", "sessions"]) {
      await admin.query(`alter table "${schema}"."${table}" add column added_later text`);
    }
    const again = h.client();
    const signedIn = await signInWithKey(again, authenticator);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect((await again.get("/me")).status).toBe(200);
  });
});

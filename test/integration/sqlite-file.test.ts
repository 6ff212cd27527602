import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import type { KeywardOptions } from "../../src/index.js";
import { runningCheckpointers } from "../../src/store/kysely/checkpointer.js";
import { openKyselyStore } from "../../src/store/kysely/index.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { registerKey, signUp, startKeySignin, uniqueEmail } from "../helpers/ceremonies.js";
import type { DatabaseTarget } from "../helpers/databases.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { passwordSession } from "../helpers/store-session.js";

// SQLite on a file, as deployed (the other suites use an in-memory database): WAL checkpoints
// run in a worker thread, and ceremony states live in memory unless `ephemeral: "database"`.
const dir = mkdtempSync(join(tmpdir(), "keyward-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function fileTarget(): DatabaseTarget {
  files += 1;
  const url = `sqlite:${join(dir, `db-${files}.sqlite`)}`;
  return { name: "sqlite", url: () => url, drop: async () => {} };
}

/** Rows of `email` in the main database file alone, as if the WAL beside it were lost. */
function inMainFile(path: string, email: string): number {
  const copy = `${path}.copy-${Date.now()}`;
  copyFileSync(path, copy);
  const db = new BetterSqlite3(copy, { readonly: true });
  try {
    const hasUsers = db.prepare("select 1 from sqlite_master where name = 'users'").get();
    if (!hasUsers) return 0;
    const row = db.prepare("select count(*) as n from users where email = ?").get(email) as {
      n: number;
    };
    return row.n;
  } finally {
    db.close();
    rmSync(copy, { force: true });
  }
}

/** A signed-up user with a `first` passkey registered on `h`; returns its authenticator. */
async function passkeyUser(h: Harness): Promise<SoftwareAuthenticator> {
  const client = h.client();
  await signUp(client);
  const authenticator = new SoftwareAuthenticator({ origin: h.origin });
  expect((await registerKey(client, authenticator, { name: "k", usage: "first" })).status).toBe(
    201,
  );
  return authenticator;
}

/** A sign-in started on `h` and answered by `authenticator`, not yet submitted. */
async function signedSignin(h: Harness, authenticator: SoftwareAuthenticator) {
  const { options, state } = await startKeySignin(h.client());
  return { state, credential: await authenticator.authenticate(options) };
}

/** Two Keyward processes on one SQLite file; B accepts the keys registered through A. */
async function twoProcesses(options: Partial<KeywardOptions> = {}) {
  const target = fileTarget();
  const a = await startHarness(target, options);
  const b = await startHarness(target, {
    ...options,
    rp: { id: "localhost", name: "Keyward Test", origins: [a.origin] },
  });
  const close = async () => {
    await b.close();
    await a.close();
  };
  return { a, b, close };
}

describe("SQLite on a file", () => {
  it("checkpoints the WAL into the database file without the app's connection doing it", async () => {
    const target = fileTarget();
    const h = await startHarness(target);
    try {
      const email = uniqueEmail();
      await signUp(h.client(), email);
      // A single commit is far below the app connection's fallback threshold (10,000 pages):
      // only the checkpointer can have copied it into the main file.
      let found = 0;
      for (let i = 0; i < 40 && found === 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        found = inMainFile(target.url().slice("sqlite:".length), email);
      }
      expect(found).toBe(1);
    } finally {
      await h.close();
    }
  });

  it("starts the checkpoint thread with the first write, not while the server only reads", async () => {
    const url = fileTarget().url();
    const path = url.slice("sqlite:".length);
    // Created and migrated (writes), then closed: the next open finds nothing to write.
    await (await openKyselyStore(url, { clock: systemClock })).close();
    const before = runningCheckpointers();
    const store = await openKyselyStore(url, { clock: systemClock });
    try {
      expect(await store.users.byEmail("lazy@example.com")).toBeUndefined();
      expect(runningCheckpointers()).toBe(before);

      await store.users.create({
        email: "lazy@example.com",
        username: null,
        passwordHash: null,
        webauthnUserHandle: "handle-lazy",
      });
      expect(runningCheckpointers()).toBe(before + 1);
      // Far below the fallback threshold: only the thread started just now copies it over.
      let found = 0;
      for (let i = 0; i < 40 && found === 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        found = inMainFile(path, "lazy@example.com");
      }
      expect(found).toBe(1);
    } finally {
      await store.close();
    }
    expect(runningCheckpointers()).toBe(before);
  });

  it("keeps ceremony states in process memory by default: another process cannot take them", async () => {
    const { a, b, close } = await twoProcesses();
    try {
      const { state, credential } = await signedSignin(a, await passkeyUser(a));
      const elsewhere = await b.client().post("/wan-signin-response", { state, credential });
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.body).toMatchObject({ error: { code: "STATE_INVALID" } });
      // The state is still there for the process that issued it.
      const here = await a.client().post("/wan-signin-response", { state, credential });
      expect(here.status, JSON.stringify(here.body)).toBe(200);
    } finally {
      await close();
    }
  });

  it('shares ceremony states through the database file with ephemeral: "database"', async () => {
    const { a, b, close } = await twoProcesses({ ephemeral: "database" });
    try {
      const { state, credential } = await signedSignin(a, await passkeyUser(a));
      const elsewhere = await b.client().post("/wan-signin-response", { state, credential });
      expect(elsewhere.status, JSON.stringify(elsewhere.body)).toBe(200);
      // Spent on B: A refuses it.
      const again = await a.client().post("/wan-signin-response", { state, credential });
      expect(again.body).toMatchObject({ error: { code: "STATE_INVALID" } });
    } finally {
      await close();
    }
  });

  it("commits a sign-in's session, key use and event together or not at all", async () => {
    const target = fileTarget();
    const h = await startHarness(target);
    const path = target.url().slice("sqlite:".length);
    try {
      const authenticator = await passkeyUser(h);
      const count = (sql: string) => {
        const db = new BetterSqlite3(path);
        try {
          return (db.prepare(sql).get() as { n: number }).n;
        } finally {
          db.close();
        }
      };
      const sessionsBefore = count("select count(*) as n from sessions");
      const usedBefore = count(
        "select count(*) as n from webauthn_credentials where last_used_at is not null",
      );

      // The event, written last, fails: the session and the key's use must not stay behind.
      const admin = new BetterSqlite3(path);
      admin.exec(`create trigger refuse_signin_event before insert on events
        when new.type = 'webauthn.signin' begin select raise(abort, 'disk says no'); end`);
      const refused = await h
        .client()
        .post("/wan-signin-response", await signedSignin(h, authenticator));
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: { code: "STORE_UNAVAILABLE" } });
      expect(refused.headers.get("set-cookie") ?? "").not.toContain("keyward_session=");
      expect(count("select count(*) as n from sessions")).toBe(sessionsBefore);
      expect(
        count("select count(*) as n from webauthn_credentials where last_used_at is not null"),
      ).toBe(usedBefore);

      admin.exec("drop trigger refuse_signin_event");
      admin.close();
      const signedIn = await h
        .client()
        .post("/wan-signin-response", await signedSignin(h, authenticator));
      expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
      expect(count("select count(*) as n from sessions")).toBe(sessionsBefore + 1);
    } finally {
      await h.close();
    }
  });

  it("runs compiled-once queries inside transactions, and rolls them back with it", async () => {
    const url = fileTarget().url();
    const store = await openKyselyStore(url, { clock: systemClock });
    try {
      const user = await store.users.create({
        email: "prepared@example.com",
        username: null,
        passwordHash: null,
        webauthnUserHandle: "handle-prepared",
      });
      await expect(
        store.transaction(async (trx) => {
          await trx.sessions.create(passwordSession(user.id, "rolled-back"));
          expect(await trx.sessions.byIdHash("rolled-back")).toBeDefined();
          throw new Error("abort");
        }),
      ).rejects.toThrow();
      expect(await store.sessions.byIdHash("rolled-back")).toBeUndefined();
      await store.sessions.create(passwordSession(user.id, "kept", "192.0.2.1"));
      expect(await store.sessions.byIdHash("kept")).toMatchObject({
        userId: user.id,
        ip: "192.0.2.1",
        aal: 1,
      });
      expect((await store.users.byEmail("prepared@example.com"))?.id).toBe(user.id);
    } finally {
      await store.close();
    }
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/run.js";
import { hashToken } from "../../src/core/ids.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { registerKey, signInWithKey } from "../helpers/ceremonies.js";
import { type DatabaseTarget, databaseTargets } from "../helpers/databases.js";
import { FormBrowser } from "../helpers/form-browser.js";
import { type Harness, type TestClient, useHarness } from "../helpers/harness.js";
import {
  enrolTotp,
  errorCode,
  newUser,
  passwordStep,
  signInWithTotp,
  totpAt,
} from "../helpers/two-factor.js";

/**
 * Invariant 12: a session ends when the key or factor that earned it is removed. Each test
 * signs the same account in several ways on several clients, removes one key or factor, and
 * checks that exactly the sessions it earned are gone, from the answer and from the store.
 */

const targets = await databaseTargets();

type Json = Record<string, unknown>;

/** The session a client holds, as the store has it (undefined: no such row). */
async function stored(h: Harness, client: TestClient) {
  const token = client.cookies.get("keyward_session");
  return token === undefined ? undefined : h.store.sessions.byIdHash(hashToken(token));
}

/** The client's session is over: /me refuses it and the store holds no row for it. */
async function expectEnded(h: Harness, client: TestClient) {
  const token = client.cookies.get("keyward_session");
  const me = await client.get("/me");
  expect(me.status).toBe(401);
  expect(errorCode(me)).toBe("UNAUTHENTICATED");
  if (token !== undefined) {
    expect(await h.store.sessions.byIdHash(hashToken(token))).toBeUndefined();
  }
}

async function expectLive(h: Harness, client: TestClient, aal?: number) {
  const me = await client.get<{ session: { aal: number } }>("/me");
  expect(me.status, JSON.stringify(me.body)).toBe(200);
  if (aal !== undefined) expect(me.body.session.aal).toBe(aal);
  expect(await stored(h, client)).toBeDefined();
}

/**
 * An account with TOTP, a `first` key K (UV) and a `secondary` key K2 (roaming, no UV).
 * `admin` is a password + TOTP session (AAL2, fresh): the owner's own, earned by neither key.
 */
async function owner(h: Harness) {
  const { client: setup, email, userId } = await newUser(h);
  const { secret, recoveryCodes } = await enrolTotp(h, setup);
  await setup.post("/logout");
  const admin = await signInWithTotp(h, email, secret);
  const k = new SoftwareAuthenticator({ origin: h.origin });
  const k2 = new SoftwareAuthenticator({
    origin: h.origin,
    userVerification: false,
    transports: ["usb"],
    attachment: "cross-platform",
  });
  const regK = await registerKey(admin, k, { name: "K", usage: "first" });
  expect(regK.status, JSON.stringify(regK.body)).toBe(201);
  const regK2 = await registerKey(admin, k2, { name: "K2", usage: "secondary" });
  expect(regK2.status, JSON.stringify(regK2.body)).toBe(201);
  return { email, userId, secret, recoveryCodes, admin, k, k2 };
}

/** Sign in with the `first` key alone (UV): AAL2 on a fresh client. */
async function withKey(h: Harness, k: SoftwareAuthenticator, overrides = {}) {
  const client = h.client();
  const done = await signInWithKey(client, k, {}, overrides);
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  expect(done.body.session).toMatchObject({ aal: 2 });
  return client;
}

/** Password, then the secondary key: AAL2 on a fresh client. */
async function withPasswordAndKey(h: Harness, email: string, k2: SoftwareAuthenticator) {
  const { client, pending } = await passwordStep(h, email);
  const done = await signInWithKey(client, k2, { secondFactorState: pending.state });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  expect(done.body.session).toMatchObject({ aal: 2 });
  return client;
}

describe.each(targets)("sessions end with the factor that earned them, on $name", (target) => {
  const h = useHarness(target);

  it("deleting a key ends the sessions it earned, first factor or second, and no others", async () => {
    const { email, userId, k, k2, admin } = await owner(h);
    const byK = await withKey(h, k);
    const byK2 = await withPasswordAndKey(h, email, k2);

    const deleted = await admin.post<Json>("/wan-delete", { name: "K" });
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    await expectEnded(h, byK);
    await expectLive(h, byK2, 2);
    await expectLive(h, admin, 2);
    const [event] = await h.store.events.list({ userId, type: "webauthn.deleted" });
    expect(event!.detail).toMatchObject({ name: "K", sessionsRevoked: 1 });

    const deleted2 = await admin.post<Json>("/wan-delete", { name: "K2" });
    expect(deleted2.status, JSON.stringify(deleted2.body)).toBe(200);
    await expectEnded(h, byK2);
    await expectLive(h, admin, 2);
    expect(await h.store.sessions.listForUser(userId)).toHaveLength(1);
  });

  it("deleting the key that earned the current session signs that session out too", async () => {
    const { userId, k } = await owner(h);
    const byK = await withKey(h, k);
    const deleted = await byK.post<Json>("/wan-delete", { name: "K" });
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body).toMatchObject({ credential: { name: "K" }, signedOut: true });
    expect(
      deleted.headers.getSetCookie().some((line) => /^keyward_session=;.*Max-Age=0/.test(line)),
    ).toBe(true);
    await expectEnded(h, byK);
    // The owner's own password + TOTP session (from owner()) is the one left.
    expect(await h.store.sessions.listForUser(userId)).toHaveLength(1);
  });

  it("a form post deleting the key of the current session lands on the sign-in page", async () => {
    const { k } = await owner(h);
    const byK = await withKey(h, k);
    const browser = new FormBrowser(h);
    browser.cookies.set("keyward_session", byK.cookies.get("keyward_session")!);
    const deleted = await browser.submit("/auth/account", "/auth/wan-delete", { name: "K" });
    expect(deleted.status, deleted.text.slice(0, 200)).toBe(303);
    expect(deleted.headers.get("location")).toMatch(/^\/auth\/login\?done=/);
    expect(browser.cookies.has("keyward_session")).toBe(false);
    await expectEnded(h, byK);
  });

  it("a sign-count regression ends the earlier sessions of that key; the flagging sign-in stands (warn)", async () => {
    const { userId, k, admin } = await owner(h);
    const one = await withKey(h, k);
    const two = await withKey(h, k);
    // Counter is 2 now; a response with 1 is what a clone of the key would send.
    const flagged = await withKey(h, k, { counter: 1 });
    await expectEnded(h, one);
    await expectEnded(h, two);
    await expectLive(h, flagged, 2);
    await expectLive(h, admin, 2);
    const [key] = (await h.store.credentials.listForUser(userId)).filter((c) => c.name === "K");
    expect(key!.flags).toContain("counter-regression");
    const [event] = await h.store.events.list({
      userId,
      type: "webauthn.counter-regression",
    });
    expect(event!.detail).toMatchObject({ stored: 2, received: 1, sessionsRevoked: 2 });
  });

  it("a regression seen at step-up verify ends the session the key earned instead of refreshing it", async () => {
    const { k, admin } = await owner(h);
    const one = await withKey(h, k);
    const two = await withKey(h, k);
    const start = await one.post<{ options: never; state: string }>("/wan-verify", {});
    expect(start.status, JSON.stringify(start.body)).toBe(200);
    const credential = await k.authenticate(start.body.options, { counter: 1 });
    const verify = await one.post("/wan-verify-response", { state: start.body.state, credential });
    expect(verify.status).toBe(401);
    expect(errorCode(verify)).toBe("UNAUTHENTICATED");
    await expectEnded(h, one);
    await expectEnded(h, two);
    await expectLive(h, admin, 2);
  });

  it("disabling TOTP ends the sessions TOTP earned, the current one included", async () => {
    const { email, secret, k2, k } = await owner(h);
    const byTotp = await signInWithTotp(h, email, secret);
    const alsoTotp = await signInWithTotp(h, email, secret);
    const byK2 = await withPasswordAndKey(h, email, k2);
    const byK = await withKey(h, k);

    const off = await byK2.post<Json>("/tf-setup", { method: "disable", only: "totp" });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    await expectEnded(h, byTotp);
    await expectEnded(h, alsoTotp);
    await expectLive(h, byK2, 2);
    await expectLive(h, byK, 2);

    // Turning it on again and off from a TOTP session: that session ends with its factor.
    const setup = await byK2.post<{ state: string; otpauthUri: string }>("/tf-setup", {
      method: "totp",
    });
    const again = new URL(setup.body.otpauthUri).searchParams.get("secret")!;
    const on = await byK2.post("/tf-setup-validate", {
      state: setup.body.state,
      code: await totpAt(again, h.clock.now()),
    });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    h.clock.advance(30_000);
    const current = await signInWithTotp(h, email, again);
    const selfOff = await current.post<Json>("/tf-setup", { method: "disable", only: "totp" });
    expect(selfOff.status, JSON.stringify(selfOff.body)).toBe(200);
    expect(selfOff.body).toMatchObject({ signedOut: true });
    await expectEnded(h, current);
    await expectLive(h, byK2, 2);
  });

  it("re-enrolling TOTP ends the other sessions the old secret earned", async () => {
    const { email, secret } = await owner(h);
    const old = await signInWithTotp(h, email, secret);
    const me = await signInWithTotp(h, email, secret);
    const setup = await me.post<{ state: string; otpauthUri: string }>("/tf-setup", {
      method: "totp",
    });
    const fresh = new URL(setup.body.otpauthUri).searchParams.get("secret")!;
    const done = await me.post("/tf-setup-validate", {
      state: setup.body.state,
      code: await totpAt(fresh, h.clock.now()),
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    await expectEnded(h, old);
    // The session that proved the new secret stays.
    await expectLive(h, me, 2);
  });

  it("new recovery codes end the other sessions a recovery code earned", async () => {
    const { email, secret, recoveryCodes } = await owner(h);
    const { client: byCode, pending } = await passwordStep(h, email);
    const spent = await byCode.post("/mf-recovery", {
      state: pending.state,
      code: recoveryCodes[0],
    });
    expect(spent.status, JSON.stringify(spent.body)).toBe(200);
    const me = await signInWithTotp(h, email, secret);
    const codes = await me.post("/mf-recovery-codes");
    expect(codes.status, JSON.stringify(codes.body)).toBe(200);
    await expectEnded(h, byCode);
    await expectLive(h, me, 2);
  });

  it("sessions of an account that kept its keys and factors are untouched", async () => {
    const { email, secret, k, k2, admin } = await owner(h);
    const byK = await withKey(h, k);
    const byK2 = await withPasswordAndKey(h, email, k2);
    const byTotp = await signInWithTotp(h, email, secret);
    const renamed = await admin.post("/wan-rename", { name: "K", newName: "Renamed" });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    for (const client of [byK, byK2, byTotp, admin]) await expectLive(h, client, 2);
  });
});

/** SQLite on a file, so the CLI (another connection) sees the harness's database. */
function sharedTarget(target: DatabaseTarget): DatabaseTarget {
  if (target.name !== "sqlite") return target;
  const dir = mkdtempSync(join(tmpdir(), "keyward-session-factors-"));
  return {
    name: "sqlite",
    url: () => `sqlite:${join(dir, "app.db")}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs the CLI in this process against the harness's database; returns exit code and output. */
async function keyward(h: Harness, args: string[]) {
  const out = { stdout: "", stderr: "" };
  const code = await run([...args, "--json", "--database", h.databaseUrl], {
    env: {},
    stdout: (text) => {
      out.stdout += text;
    },
    stderr: (text) => {
      out.stderr += text;
    },
    readStdin: async () => "",
  });
  return { code, ...out };
}

describe.each(targets)("the CLI ends sessions the same way, on $name", (target) => {
  const h = useHarness(sharedTarget(target));

  it("keyward keys delete ends the sessions the key earned", async () => {
    const { email, userId, k, k2, admin } = await owner(h);
    const byK = await withKey(h, k);
    const byK2 = await withPasswordAndKey(h, email, k2);
    const result = await keyward(h, ["keys", "delete", email, "--name", "K"]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ sessionsRevoked: 1 });
    await expectEnded(h, byK);
    await expectLive(h, byK2, 2);
    await expectLive(h, admin, 2);
    const [event] = await h.store.events.list({ userId, type: "webauthn.deleted" });
    expect(event!.detail).toMatchObject({ name: "K", sessionsRevoked: 1 });
  });

  it("keyward two-factor reset ends the sessions the cleared factors earned", async () => {
    const { email, recoveryCodes, k, k2, admin } = await owner(h);
    const { client: byCode, pending } = await passwordStep(h, email);
    expect(
      (await byCode.post("/mf-recovery", { state: pending.state, code: recoveryCodes[0] })).status,
    ).toBe(200);
    const byK = await withKey(h, k);
    const byK2 = await withPasswordAndKey(h, email, k2);
    const result = await keyward(h, ["two-factor", "reset", email]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ sessionsRevoked: 2 });
    // admin (password + TOTP) and byCode (password + recovery code) ended; keys' sessions stay.
    await expectEnded(h, admin);
    await expectEnded(h, byCode);
    await expectLive(h, byK, 2);
    await expectLive(h, byK2, 2);
  });
});

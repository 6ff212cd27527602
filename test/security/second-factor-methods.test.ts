import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { carryPendingCookie } from "../helpers/attacks.js";
import { PASSWORD, registerKey, signInWithKey } from "../helpers/ceremonies.js";
import { type DatabaseTarget, databaseTargets } from "../helpers/databases.js";
import { FormBrowser } from "../helpers/form-browser.js";
import {
  type Harness,
  type HttpResult,
  startHarness,
  type TestClient,
} from "../helpers/harness.js";
import {
  endSessions,
  enrolTotp,
  errorCode,
  newUser,
  type PendingSignIn,
  passwordStep,
  totpAt,
} from "../helpers/two-factor.js";

/**
 * `twoFactor.methods` governs every second-factor method, keys included: an account keeps
 * what it enrolled while the list allowed it, and a method the list no longer names is neither
 * offered nor accepted. Three instances share one database (and, with `ephemeral:
 * "database"`, one set of ceremony states): one with every method, where the accounts enrol,
 * one with TOTP only and one with keys only.
 */

const targets = await databaseTargets();

type Json = Record<string, unknown>;

/** One database for several harnesses: only the last one to close drops it. */
function sharedDatabase(target: DatabaseTarget): {
  keep: DatabaseTarget;
  drop: () => Promise<void>;
} {
  let url: string;
  let dir: string | undefined;
  if (target.name === "sqlite") {
    dir = mkdtempSync(join(tmpdir(), "kw-methods-"));
    url = `sqlite:${join(dir, "keyward.sqlite")}`;
  } else {
    url = target.url();
  }
  return {
    keep: { name: target.name, url: () => url, drop: async () => {} },
    async drop() {
      if (dir) rmSync(dir, { recursive: true, force: true });
      else await target.drop(url);
    },
  };
}

interface Account {
  email: string;
  userId: string;
  secret?: string;
  recoveryCodes: string[];
  /** Holds the account's `secondary` key. */
  key?: SoftwareAuthenticator;
  /** Holds the account's `first` passkey, where it has one. */
  passkey?: SoftwareAuthenticator;
}

/** Sessions the account holds in the store; counting ends them, so it comes last. */
async function expectNoSession(h: Harness, client: TestClient | FormBrowser, userId: string) {
  expect(client.cookies.has("keyward_session")).toBe(false);
  expect(await endSessions(h, userId)).toBe(0);
}

async function expectSignedOut(h: Harness, client: TestClient, userId: string) {
  expect((await client.get("/me")).status).toBe(401);
  await expectNoSession(h, client, userId);
}

/** The CSRF token the pages give this browser. */
async function csrfOf(b: FormBrowser): Promise<string> {
  const page = await b.get("/auth/login");
  return /name="csrfToken" value="([^"]+)"/.exec(page.text)![1]!;
}

const sessionOf = (result: HttpResult<Json>) =>
  result.body.session as { aal: number; amr: string[] } | undefined;

describe.each(targets)("second-factor methods on $name", (target) => {
  const db = sharedDatabase(target);
  const common = { ephemeral: "database" as const, rateLimits: { secondFactorPerIp: 10_000 } };
  /** Only TOTP (and recovery codes with it) is a second factor here. */
  let totpOnly: Harness;
  /** Only keys are second factors here. */
  let keysOnly: Harness;
  /** A `secondary` key, a `first` passkey, TOTP and recovery codes. */
  let both: Account;
  /** Only a `secondary` key and recovery codes. */
  let keyOnly: Account;
  /** Only TOTP and recovery codes. */
  let appOnly: Account;

  beforeAll(async () => {
    const all = await startHarness(db.keep, common);
    try {
      // Key first: once an account has a factor, adding another needs that factor too.
      const withKey = async (passkey: boolean): Promise<Account & { client: TestClient }> => {
        const user = await newUser(all);
        const key = new SoftwareAuthenticator({ origin: all.origin, transports: ["usb"] });
        const added = await registerKey(user.client, key, { name: "Key", usage: "secondary" });
        expect(added.status, JSON.stringify(added.body)).toBe(201);
        // The key's first recovery codes (#18) are set aside: these accounts get theirs below.
        await all.store.recoveryCodes.deleteForUser(user.userId);
        const { client, pending } = await passwordStep(all, user.email);
        expect(pending.methods).toEqual(["webauthn"]);
        const second = await signInWithKey(client, key, { secondFactorState: pending.state });
        expect(sessionOf(second)?.aal, JSON.stringify(second.body)).toBe(2);
        const pk = new SoftwareAuthenticator({ origin: all.origin, transports: ["internal"] });
        if (passkey) {
          const added = await registerKey(client, pk, { name: "Passkey", usage: "first" });
          expect(added.status, JSON.stringify(added.body)).toBe(201);
        }
        return { ...user, client, key, ...(passkey ? { passkey: pk } : {}), recoveryCodes: [] };
      };

      const b = await withKey(true);
      const totp = await enrolTotp(all, b.client);
      both = { ...b, secret: totp.secret, recoveryCodes: totp.recoveryCodes };

      const k = await withKey(false);
      const codes = await k.client.post<{ codes: string[] }>("/mf-recovery-codes", {});
      expect(codes.status, JSON.stringify(codes.body)).toBe(200);
      keyOnly = { ...k, recoveryCodes: codes.body.codes };

      const a = await newUser(all);
      const app = await enrolTotp(all, a.client);
      appOnly = { ...a, secret: app.secret, recoveryCodes: app.recoveryCodes };

      // Every session from enrolment ends here: any session found later is a leak.
      for (const account of [both, keyOnly, appOnly]) await endSessions(all, account.userId);
    } finally {
      await all.close();
    }
    totpOnly = await startHarness(db.keep, { ...common, twoFactor: { methods: ["totp"] } });
    keysOnly = await startHarness(db.keep, { ...common, twoFactor: { methods: ["webauthn"] } });
    // Each harness has its own clock: move past the TOTP step spent at enrolment.
    totpOnly.clock.advance(60_000);
    keysOnly.clock.advance(60_000);
    both.key!.set({ origin: totpOnly.origin });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([totpOnly, keysOnly].filter(Boolean).map((h) => h.close()));
    await db.drop();
  });

  describe("with methods: [totp]", () => {
    it("does not offer a secondary key after a password", async () => {
      const { client, pending } = await passwordStep(totpOnly, both.email);
      expect(pending.methods).toEqual(["totp", "recovery"]);
      const select = await client.post("/tf-select", { state: pending.state, method: "webauthn" });
      expect(select.status).toBe(400);
      expect(errorCode(select)).toBe("TWO_FACTOR_METHOD_NOT_AVAILABLE");
      await expectSignedOut(totpOnly, client, both.userId);
    });

    it("refuses to start a key ceremony for a pending sign-in", async () => {
      const { client, pending } = await passwordStep(totpOnly, both.email);
      const start = await client.post("/wan-signin", { secondFactorState: pending.state });
      expect(start.status, JSON.stringify(start.body)).toBe(400);
      expect(errorCode(start)).toBe("TWO_FACTOR_METHOD_NOT_AVAILABLE");
      expect(start.body).not.toHaveProperty("options");
      await expectSignedOut(totpOnly, client, both.userId);
    });

    it("refuses a secondary key that completes a key ceremony started where keys are allowed", async () => {
      const { client, pending } = await passwordStep(totpOnly, both.email);
      // The ceremony starts on the instance that still allows keys (states are shared), from
      // the same browser (its pending sign-in cookie goes along)…
      const sameBrowser = keysOnly.client();
      carryPendingCookie(client, sameBrowser);
      const start = await sameBrowser.post<{ options: never; state: string }>("/wan-signin", {
        secondFactorState: pending.state,
      });
      expect(start.status, JSON.stringify(start.body)).toBe(200);
      const credential = await both.key!.authenticate(start.body.options);
      // …and the assertion is answered where only TOTP is a second factor.
      const done = await client.post("/wan-signin-response", {
        state: start.body.state,
        credential,
        secondFactorState: pending.state,
      });
      expect(done.status, JSON.stringify(done.body)).toBe(400);
      expect(errorCode(done)).toBe("TWO_FACTOR_METHOD_NOT_AVAILABLE");
      await expectSignedOut(totpOnly, client, both.userId);
      // The pending sign-in survives for a method that is allowed.
      const totp = await client.post("/tf-validate", {
        state: pending.state,
        method: "totp",
        code: await totpAt(both.secret!, totpOnly.clock.now()),
      });
      expect(totp.status, JSON.stringify(totp.body)).toBe(200);
      expect(sessionOf(totp)).toMatchObject({ aal: 2, amr: ["pwd", "otp"] });
      totpOnly.clock.advance(30_000);
      await client.post("/logout");
    });

    it("does not let a passkey without user verification fall back to a secondary key", async () => {
      const passkey = both.passkey!;
      passkey.set({ origin: totpOnly.origin, userVerification: false });
      try {
        const client = totpOnly.client();
        const first = await signInWithKey(client, passkey);
        expect(first.status, JSON.stringify(first.body)).toBe(200);
        const pending = first.body as unknown as PendingSignIn;
        expect(pending).toMatchObject({ twoFactorRequired: true, methods: ["totp", "recovery"] });
        const start = await client.post("/wan-signin", { secondFactorState: pending.state });
        expect(errorCode(start)).toBe("TWO_FACTOR_METHOD_NOT_AVAILABLE");
        await expectSignedOut(totpOnly, client, both.userId);
      } finally {
        passkey.set({ userVerification: true });
      }
    });

    it("neither offers nor accepts a key through the pages' form posts", async () => {
      const b = new FormBrowser(totpOnly);
      const login = await b.submit("/auth/login", "/auth/login", {
        identity: both.email,
        password: PASSWORD,
      });
      expect(login.status, login.text.slice(0, 300)).toBe(303);
      expect(login.headers.get("location")).toBe("/auth/tf-select");
      const page = await b.get("/auth/tf-select");
      expect(page.status).toBe(200);
      expect(page.text).not.toContain("second-factor-key");
      expect(page.text).toContain("/auth/tf-validate?method=totp");
      // This page has no form of its own (TOTP is a link): any page's token will do.
      const csrfToken = await csrfOf(b);
      const state = b.cookies.get("keyward_tf")!;

      const select = await b.post("/auth/tf-select", { csrfToken, state, method: "webauthn" });
      expect(select.status).toBe(400);
      expect(select.text).not.toContain("second-factor-key");
      const start = await b.post(
        "/auth/wan-signin",
        { csrfToken, secondFactorState: state },
        "application/json",
      );
      expect(start.status, start.text).toBe(400);
      expect(JSON.parse(start.text)).toMatchObject({
        error: { code: "TWO_FACTOR_METHOD_NOT_AVAILABLE" },
      });
      await expectNoSession(totpOnly, b, both.userId);
    });

    it("signs an account whose only second factor is a key in at AAL1 only, without recovery codes", async () => {
      const client = totpOnly.client();
      const login = await client.post("/login", { identity: keyOnly.email, password: PASSWORD });
      expect(login.status, JSON.stringify(login.body)).toBe(200);
      expect(login.body).not.toHaveProperty("twoFactorRequired");
      expect(sessionOf(login)).toMatchObject({ aal: 1, amr: ["pwd"] });
      const me = await client.get("/me");
      expect(sessionOf(me)?.aal).toBe(1);
      const sessions = await totpOnly.store.sessions.listForUser(keyOnly.userId);
      expect(sessions.map((s) => s.aal)).toEqual([1]);
      await endSessions(totpOnly, keyOnly.userId);
    });

    it("refuses to register a secondary key, which could never be used, and stores nothing", async () => {
      const { userId, client } = await newUser(totpOnly);
      const refused = await client.post("/wan-register", { name: "Spare", usage: "secondary" });
      expect(refused.status, JSON.stringify(refused.body)).toBe(403);
      expect(errorCode(refused)).toBe("WEBAUTHN_USAGE_NOT_ALLOWED");
      // The default usage is a secondary key: refused alike.
      const unnamed = await client.post("/wan-register", {});
      expect(errorCode(unnamed)).toBe("WEBAUTHN_USAGE_NOT_ALLOWED");
      // A passkey (its own multi-factor) is still allowed.
      const passkey = await client.post("/wan-register", { name: "Passkey", usage: "first" });
      expect(passkey.status, JSON.stringify(passkey.body)).toBe(200);
      expect(await totpOnly.store.credentials.listForUser(userId)).toEqual([]);

      // Nor is a registration started where keys are allowed finished here (states are shared).
      const elsewhere = await newUser(keysOnly);
      const key = new SoftwareAuthenticator({ origin: keysOnly.origin, transports: ["usb"] });
      const start = await elsewhere.client.post<{ options: never; state: string }>(
        "/wan-register",
        { name: "Spare", usage: "secondary" },
      );
      expect(start.status, JSON.stringify(start.body)).toBe(200);
      const here = totpOnly.client();
      for (const [name, value] of elsewhere.client.cookies) here.cookies.set(name, value);
      const finished = await here.post("/wan-register-response", {
        state: start.body.state,
        credential: await key.register(start.body.options),
      });
      expect(finished.status, JSON.stringify(finished.body)).toBe(403);
      expect(errorCode(finished)).toBe("WEBAUTHN_USAGE_NOT_ALLOWED");
      expect(await totpOnly.store.credentials.listForUser(elsewhere.userId)).toEqual([]);

      const b = new FormBrowser(totpOnly);
      await b.submit("/auth/register", "/auth/register", {
        email: `page-${userId}@example.com`,
        password: PASSWORD,
      });
      const account = await b.get("/auth/account");
      expect(account.status).toBe(200);
      expect(account.text).not.toContain('value="secondary"');
    });
  });

  describe("with methods: [webauthn]", () => {
    it("does not offer or accept a TOTP code, and a key still completes the sign-in", async () => {
      both.key!.set({ origin: keysOnly.origin });
      const { client, pending } = await passwordStep(keysOnly, both.email);
      expect(pending.methods).toEqual(["webauthn", "recovery"]);
      const code = await totpAt(both.secret!, keysOnly.clock.now());
      const select = await client.post("/tf-select", { state: pending.state, method: "totp" });
      expect(errorCode(select)).toBe("TWO_FACTOR_METHOD_NOT_AVAILABLE");
      const refused = await client.post("/tf-validate", {
        state: pending.state,
        method: "totp",
        code,
      });
      expect(refused.status).toBe(400);
      expect(errorCode(refused)).toBe("TWO_FACTOR_METHOD_NOT_AVAILABLE");
      expect((await client.get("/me")).status).toBe(401);
      expect(await keysOnly.store.sessions.listForUser(both.userId)).toEqual([]);

      const key = await signInWithKey(client, both.key!, { secondFactorState: pending.state });
      expect(key.status, JSON.stringify(key.body)).toBe(200);
      expect(sessionOf(key)).toMatchObject({ aal: 2, amr: ["pwd", "hwk"] });
      await client.post("/logout");
      both.key!.set({ origin: totpOnly.origin });
    });

    it("refuses a TOTP code posted from the code page's form", async () => {
      const b = new FormBrowser(keysOnly);
      const login = await b.submit("/auth/login", "/auth/login", {
        identity: both.email,
        password: PASSWORD,
      });
      expect(login.status, login.text.slice(0, 300)).toBe(303);
      const choices = await b.get("/auth/tf-select");
      expect(choices.text).toContain("second-factor-key");
      expect(choices.text).not.toContain("method=totp");
      // The code page of a method not offered sends the user back to the choice.
      const codePage = await b.get("/auth/tf-validate?method=totp");
      expect(codePage.status).toBe(303);
      expect(codePage.headers.get("location")).toBe("/auth/tf-select");

      const csrfToken = await csrfOf(b);
      const posted = await b.post("/auth/tf-validate", {
        csrfToken,
        state: b.cookies.get("keyward_tf")!,
        method: "totp",
        code: await totpAt(both.secret!, keysOnly.clock.now()),
      });
      expect(posted.status).toBe(400);
      expect(posted.text).toContain("second-factor-key");
      const json = await b.post(
        "/auth/tf-validate",
        {
          csrfToken,
          state: b.cookies.get("keyward_tf")!,
          method: "totp",
          code: await totpAt(both.secret!, keysOnly.clock.now()),
        },
        "application/json",
      );
      expect(JSON.parse(json.text)).toMatchObject({
        error: { code: "TWO_FACTOR_METHOD_NOT_AVAILABLE" },
      });
      await expectNoSession(keysOnly, b, both.userId);
    });

    it("takes no recovery code for an account whose only second factor is not offered", async () => {
      const client = keysOnly.client();
      const login = await client.post("/login", { identity: appOnly.email, password: PASSWORD });
      expect(login.status, JSON.stringify(login.body)).toBe(200);
      expect(login.body).not.toHaveProperty("twoFactorRequired");
      expect(sessionOf(login)).toMatchObject({ aal: 1, amr: ["pwd"] });
      const stillUnused = await keysOnly.store.recoveryCodes.countUnused(appOnly.userId);
      expect(stillUnused).toBe(appOnly.recoveryCodes.length);
      await endSessions(keysOnly, appOnly.userId);
    });
  });
});

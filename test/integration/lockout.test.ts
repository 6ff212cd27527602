import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/run.js";
import type { RefusedSignIn } from "../../src/index.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import {
  PASSWORD,
  registerFirstKeyAndSignIn,
  registerKey,
  signInWithKey,
} from "../helpers/ceremonies.js";
import { type DatabaseTarget, databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import { enrolTotp, errorCode, newUser, passwordStep, totpAt } from "../helpers/two-factor.js";

const targets = await databaseTargets();
const LIMIT = 3;

/**
 * Issue #20 item 3: the app's policy sees every refused sign-in and may lock the account; a
 * lock is honoured at every door; administrators lift it.
 */
describe.each(targets)("sign-in lockout policy on $name", (target) => {
  const seen: RefusedSignIn[] = [];
  // The app's rule: three refusals for one account lock it for an hour.
  const failures = new Map<string, number>();
  const h = useHarness(target, {
    policy: {
      onSignInFailed(attempt) {
        seen.push(attempt);
        if (attempt.userId === null) return undefined;
        const count = (failures.get(attempt.userId) ?? 0) + 1;
        failures.set(attempt.userId, count);
        return count >= LIMIT
          ? { lock: { reason: "too many failures", until: Date.now() + 3_600_000 } }
          : undefined;
      },
    },
  });
  const newAuthenticator = () => new SoftwareAuthenticator({ origin: h.origin });
  const login = (identity: string, password: string) =>
    h.client().post("/login", { identity, password });

  it("shows the hook every refusal, and locks once it says so; /login then answers as for a wrong password", async () => {
    const { email, userId } = await newUser(h);
    for (let i = 0; i < LIMIT; i += 1) {
      expect(errorCode(await login(email, `wrong ${i}`))).toBe("INVALID_CREDENTIALS");
    }
    const mine = seen.filter((attempt) => attempt.userId === userId);
    expect(mine).toHaveLength(LIMIT);
    expect(mine[0]).toMatchObject({
      method: "password",
      stage: "sign-in",
      reason: "invalid-credentials",
    });
    const [locked] = await h.auth.api.events({ userId, type: "account.locked" });
    expect(locked?.detail).toMatchObject({ by: "policy", reason: "too many failures" });
    expect(locked?.detail.until).not.toBeNull();

    // The right password now gets the same answer as a wrong one; the audit says why.
    const right = await login(email, PASSWORD);
    const wrong = await login(email, "still wrong");
    expect(right.status).toBe(401);
    expect(right.body).toEqual(wrong.body);
    const refusals = await h.auth.api.events({ userId, type: "user.login-failed" });
    expect(refusals.filter((e) => e.detail.reason === "account-locked")).toHaveLength(1);
    // Failures while locked do not extend the lock.
    expect(await h.auth.api.events({ userId, type: "account.locked" })).toHaveLength(1);
  });

  it("refuses a locked account's passkey, usernameless, with ACCOUNT_LOCKED", async () => {
    const { client, userId } = await newUser(h);
    const key = newAuthenticator();
    await registerFirstKeyAndSignIn(client, key, { name: "Passkey" });
    for (let i = 0; i < LIMIT; i += 1) {
      const forged = await signInWithKey(h.client(), key, {}, { tamperSignature: true });
      expect(forged.status).toBe(400);
    }
    expect(seen.filter((a) => a.userId === userId && a.method === "webauthn")).toHaveLength(LIMIT);
    const refused = await signInWithKey(h.client(), key);
    expect(refused.status).toBe(403);
    expect(errorCode(refused)).toBe("ACCOUNT_LOCKED");
    expect((refused.headers.get("set-cookie") ?? "").includes("session")).toBe(false);
  });

  it("refuses the second step of a sign-in begun before the lock, and every second factor after", async () => {
    const { client, email, userId } = await newUser(h);
    const { secret } = await enrolTotp(h, client);
    const { client: begun, pending } = await passwordStep(h, email);
    // Wrong codes at the second step count too, and lock the account.
    for (let i = 0; i < LIMIT; i += 1) {
      const wrong = await begun.post("/tf-validate", {
        state: pending.state,
        method: "totp",
        code: "000000",
      });
      expect(errorCode(wrong)).toBe("TWO_FACTOR_CODE_INVALID");
    }
    expect(seen.filter((a) => a.userId === userId).at(-1)).toMatchObject({
      method: "totp",
      stage: "second-factor",
    });
    const right = await begun.post("/tf-validate", {
      state: pending.state,
      method: "totp",
      code: await totpAt(secret, h.clock.now()),
    });
    expect(errorCode(right)).toBe("ACCOUNT_LOCKED");
    // And the first factor no longer leads to a second step at all.
    expect(errorCode(await login(email, PASSWORD))).toBe("INVALID_CREDENTIALS");
  });

  it("refuses a second-factor key on a locked account", async () => {
    const { client, email, userId } = await newUser(h);
    const key = newAuthenticator();
    expect((await registerKey(client, key, { name: "Key", usage: "secondary" })).status).toBe(201);
    const { client: begun, pending } = await passwordStep(h, email);
    await h.store.users.setLock(userId, { reason: "test", at: h.clock.now(), until: null });
    const refused = await signInWithKey(begun, key, { secondFactorState: pending.state });
    expect(errorCode(refused)).toBe("ACCOUNT_LOCKED");
  });

  it("lifts a lock with an end once its time has passed", async () => {
    const { email, userId } = await newUser(h);
    await h.store.users.setLock(userId, {
      reason: "test",
      at: h.clock.now(),
      until: h.clock.now() + 60_000,
    });
    expect(errorCode(await login(email, PASSWORD))).toBe("INVALID_CREDENTIALS");
    h.clock.advance(61_000);
    expect((await login(email, PASSWORD)).status).toBe(200);
  });
});

describe.each(targets)("without a policy on $name", (target) => {
  const h = useHarness(target);

  it("never locks, however many refusals (the default)", async () => {
    const { email, userId } = await newUser(h);
    for (let i = 0; i < 5; i += 1) {
      expect(errorCode(await h.client().post("/login", { identity: email, password: "x" }))).toBe(
        "INVALID_CREDENTIALS",
      );
    }
    expect(await h.auth.api.events({ userId, type: "account.locked" })).toHaveLength(0);
    const ok = await h.client().post("/login", { identity: email, password: PASSWORD });
    expect(ok.status).toBe(200);
  });
});

/** `keyward users lock` / `unlock` on the database a running instance uses. */
describe("keyward users lock and unlock", () => {
  const dir = mkdtempSync(join(tmpdir(), "keyward-lock-"));
  const file: DatabaseTarget = {
    name: "sqlite",
    url: () => `sqlite:${join(dir, "app.db")}`,
    drop: async () => {},
  };
  const h = useHarness(file);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function cli(...args: string[]) {
    const out = { stdout: "", stderr: "" };
    const code = await run([...args, "--database", h.databaseUrl], {
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

  it("locks an account for every sign-in path and unlocks it, with events", async () => {
    const { email, userId } = await newUser(h);
    const locked = await cli("users", "lock", email, "--reason", "stolen laptop");
    expect(locked.code, locked.stderr).toBe(0);
    expect(locked.stdout).toBe(`locked ${email}\n`);
    const answer = await h.client().post("/login", { identity: email, password: PASSWORD });
    expect(errorCode(answer)).toBe("INVALID_CREDENTIALS");

    const unlocked = await cli("users", "unlock", email);
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect(unlocked.stdout).toBe(`unlocked ${email}\n`);
    expect((await h.client().post("/login", { identity: email, password: PASSWORD })).status).toBe(
      200,
    );
    const events = await h.auth.api.events({ userId });
    expect(events.find((e) => e.type === "account.locked")?.detail).toEqual({
      by: "cli",
      reason: "stolen laptop",
      until: null,
    });
    expect(events.find((e) => e.type === "account.unlocked")?.detail).toEqual({ by: "cli" });
    expect((await cli("users", "lock", email, "--for", "soon")).code).toBe(2);
  });
});

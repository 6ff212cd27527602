import { expect } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { PASSWORD, registerFirstKeyAndSignIn, uniqueEmail } from "./ceremonies.js";
import type { DatabaseTarget } from "./databases.js";
import { useHarness } from "./harness.js";
import { Mailbox, tokenOf } from "./mailbox.js";
import { newUser } from "./two-factor.js";

// What the account-lifecycle suites (test/integration/lifecycle/*.test.ts) share.

export type Json = Record<string, unknown>;
export type SessionBody = {
  user: { id: string; email: string; emailConfirmed: boolean; hasPassword: boolean };
  session: { aal: number; amr: string[]; limited?: string };
};

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;
export const NEW_PASSWORD = "a brand new passphrase";

/** The status, code and body of a refusal, for comparing "nothing happened" answers. */
export function expectCode(
  result: { status: number; body: unknown },
  status: number,
  code: string,
) {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  expect((result.body as { error?: { code?: string } }).error?.code).toBe(code);
}

/**
 * The suite's harness with the default lifecycle policy (confirmEmail "grace"), its mailbox,
 * and the accounts and links the lifecycle tests start from.
 */
export function lifecycleSuite(target: DatabaseTarget) {
  const box = new Mailbox();
  const h = useHarness(target, {
    mailer: box,
    accounts: { allowPasswordless: true },
    // Every test here asks from 127.0.0.1; the per-IP limit has its own suite
    // (lifecycle/mail-requests.test.ts).
    rateLimits: { accountMailsPerIp: 10_000 },
  });

  const authenticator = () => new SoftwareAuthenticator({ origin: h.origin });

  /** A password account, signed in on the returned client. */
  async function passwordUser() {
    const user = await newUser(h);
    await box.next(user.email, "confirm-email");
    return user;
  }

  /** Opens the address's confirmation link (sent after `mark`). */
  async function confirmAddress(email: string, mark = 0) {
    const token = tokenOf(await box.next(email, "confirm-email", mark));
    expect((await h.client().post("/confirm-email", { token })).status).toBe(200);
  }

  /**
   * A passkey-only account (no password) with one passkey, signed in on the returned client.
   * Its address is confirmed: recovering an unconfirmed account removes what it holds
   * (test/security/account-takeover.test.ts).
   */
  async function passkeyUser() {
    const client = h.client();
    const email = uniqueEmail("keys");
    const mark = box.mark();
    const signup = await client.post<SessionBody>("/register", { email });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    await confirmAddress(email, mark);
    const key = authenticator();
    // Then signed in with it (AAL2), as further factor changes need once the account has a key.
    const reg = await registerFirstKeyAndSignIn(client, key, { name: "Phone" });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    return { client, email, userId: signup.body.user.id, key };
  }

  async function login(email: string, password = PASSWORD) {
    const client = h.client();
    const result = await client.post("/login", { identity: email, password });
    return { client, result };
  }

  async function resetToken(email: string): Promise<string> {
    const mark = box.mark();
    const asked = await h.client().post("/reset-password", { email });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    return tokenOf(await box.next(email, "reset-password", mark));
  }

  async function recoveryToken(email: string): Promise<string> {
    const mark = box.mark();
    const asked = await h.client().post("/recover-account", { email });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    return tokenOf(await box.next(email, "recover-account", mark));
  }

  return {
    h,
    box,
    authenticator,
    passwordUser,
    confirmAddress,
    passkeyUser,
    login,
    resetToken,
    recoveryToken,
  };
}

/**
 * The suite's harness with the strict policies: confirmEmail "required", recovery without a
 * recovery code, and low mail limits.
 */
export function lifecyclePolicySuite(target: DatabaseTarget) {
  const box = new Mailbox();
  const h = useHarness(target, {
    mailer: box,
    accounts: { allowPasswordless: true },
    lifecycle: { confirmEmail: "required", recoveryRequiresRecoveryCode: false },
    rateLimits: { accountMailsPerAddress: 2, accountMailsPerIp: 5 },
  });
  return { h, box };
}

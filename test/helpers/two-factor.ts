import { generate } from "otplib";
import { expect } from "vitest";
import type { Mailer, MailMessage, SmsSender } from "../../src/index.js";
import { PASSWORD, signUp } from "./ceremonies.js";
import type { Harness, HttpResult, TestClient } from "./harness.js";

type Json = Record<string, unknown>;

const codeIn = (text: string) => /\b(\d{6,10})\b/.exec(text)?.[1];

/** An SmsSender that keeps every message, so tests can read the code a user would get. */
export class TestSms implements SmsSender {
  readonly sent: { to: string; text: string }[] = [];
  fail = false;
  async send(to: string, text: string): Promise<void> {
    if (this.fail) throw new Error("carrier unavailable");
    this.sent.push({ to, text });
  }
  lastCode(to: string): string {
    const message = this.sent.filter((m) => m.to === to).at(-1);
    const code = message && codeIn(message.text);
    if (!code) throw new Error(`no SMS code was sent to ${to}`);
    return code;
  }
}

/** A Mailer that keeps every message. */
export class TestMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
  }
  lastCode(to: string): string {
    const message = this.sent.filter((m) => m.to === to).at(-1);
    const code = message && codeIn(message.text);
    if (!code) throw new Error(`no email code was sent to ${to}`);
    return code;
  }
}

/** The TOTP code an authenticator app shows at `ms` (the same library Keyward verifies with). */
export function totpAt(secret: string, ms: number): Promise<string> {
  return generate({ secret, epoch: Math.floor(ms / 1000) });
}

/** The base32 secret inside an otpauth:// URI, as an app scanning the QR code reads it. */
export function secretOf(otpauthUri: string): string {
  return new URL(otpauthUri).searchParams.get("secret")!;
}

export interface TotpSetup {
  state: string;
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

/** Enrols an authenticator app in the client's session; moves the clock past the code used. */
export async function enrolTotp(
  h: Harness,
  client: TestClient,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await client.post<TotpSetup>("/tf-setup", { method: "totp" });
  expect(setup.status, JSON.stringify(setup.body)).toBe(200);
  const secret = secretOf(setup.body.otpauthUri);
  const done = await client.post<{ recoveryCodes?: string[] }>("/tf-setup-validate", {
    state: setup.body.state,
    code: await totpAt(secret, h.clock.now()),
  });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  // The confirming code's step is spent; the next sign-in needs the next step's code.
  h.clock.advance(30_000);
  return { secret, recoveryCodes: done.body.recoveryCodes ?? [] };
}

export interface SignedUp {
  client: TestClient;
  email: string;
  userId: string;
}

export async function newUser(h: Harness): Promise<SignedUp> {
  const client = h.client();
  const email = await signUp(client);
  const me = await client.get<{ user: { id: string } }>("/me");
  return { client, email, userId: me.body.user.id };
}

export interface PendingSignIn {
  twoFactorRequired: true;
  methods: string[];
  state: string;
}

/** Password sign-in on a fresh client; expects the second factor to be owed. */
export async function passwordStep(
  h: Harness,
  email: string,
): Promise<{ client: TestClient; pending: PendingSignIn }> {
  const client = h.client();
  const login = await client.post<PendingSignIn>("/login", { identity: email, password: PASSWORD });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  expect(login.body.twoFactorRequired).toBe(true);
  return { client, pending: login.body };
}

/** A full password + TOTP sign-in: an AAL2 session on a fresh client. */
export async function signInWithTotp(
  h: Harness,
  email: string,
  secret: string,
): Promise<TestClient> {
  const { client, pending } = await passwordStep(h, email);
  const done = await client.post("/tf-validate", {
    state: pending.state,
    method: "totp",
    code: await totpAt(secret, h.clock.now()),
  });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  h.clock.advance(30_000);
  return client;
}

export const errorCode = (result: HttpResult<Json>) =>
  (result.body as { error?: { code?: string } }).error?.code;

/** Sessions the user holds in the store. Counting deletes them: call it last. */
export function endSessions(h: Harness, userId: string): Promise<number> {
  return h.store.sessions.deleteForUser(userId);
}

export async function eventTypes(h: Harness, userId: string): Promise<string[]> {
  const events = await h.store.events.list({ userId, limit: 1000 });
  return events.map((event) => event.type).reverse();
}

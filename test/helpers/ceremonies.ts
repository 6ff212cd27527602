import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { expect } from "vitest";
import type {
  AuthenticationOverrides,
  RegistrationOverrides,
  SoftwareAuthenticator,
} from "../../src/testing/index.js";
import type { HttpResult, TestClient } from "./harness.js";

export const PASSWORD = "correct horse battery";

let counter = 0;
/** A unique email per call, so tests sharing a database never collide. */
export function uniqueEmail(prefix = "user"): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export async function signUp(client: TestClient, email = uniqueEmail()): Promise<string> {
  const result = await client.post("/register", { email, password: PASSWORD });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return email;
}

type Json = Record<string, unknown>;

export interface RegistrationStart {
  options: PublicKeyCredentialCreationOptionsJSON;
  state: string;
}

export async function startKeyRegistration(
  client: TestClient,
  input: {
    name: string;
    usage: "first" | "secondary";
    attachment?: "platform" | "cross-platform" | "hybrid";
  },
): Promise<RegistrationStart> {
  const start = await client.post<RegistrationStart>("/wan-register", input);
  expect(start.status, JSON.stringify(start.body)).toBe(200);
  return start.body;
}

/** Runs a whole registration ceremony: options → authenticator → response. */
export async function registerKey(
  client: TestClient,
  authenticator: SoftwareAuthenticator,
  input: { name: string; usage: "first" | "secondary" },
  overrides?: RegistrationOverrides,
): Promise<HttpResult<Json> & { credential: RegistrationResponseJSON }> {
  const { options, state } = await startKeyRegistration(client, input);
  const credential = await authenticator.register(options, overrides);
  const result = await client.post("/wan-register-response", { state, credential });
  return { ...result, credential };
}

export interface SigninStart {
  options: PublicKeyCredentialRequestOptionsJSON;
  state: string;
}

export async function startKeySignin(client: TestClient, input: Json = {}): Promise<SigninStart> {
  const start = await client.post<SigninStart>("/wan-signin", input);
  expect(start.status, JSON.stringify(start.body)).toBe(200);
  return start.body;
}

/** Runs a whole sign-in ceremony with a key. */
export async function signInWithKey(
  client: TestClient,
  authenticator: SoftwareAuthenticator,
  input: Json = {},
  overrides?: AuthenticationOverrides,
): Promise<HttpResult<Json> & { credential: AuthenticationResponseJSON }> {
  const { options, state } = await startKeySignin(client, input);
  const credential = await authenticator.authenticate(options, overrides);
  const result = await client.post("/wan-signin-response", {
    state,
    credential,
    ...(input.secondFactorState ? { secondFactorState: input.secondFactorState } : {}),
  });
  return { ...result, credential };
}

/**
 * Registers a `first` key, then signs in with it on the same client, which replaces the
 * client's session with an AAL2 one (the key verified the user). Further factor changes need a
 * fresh session at the highest AAL the account can reach, and a first key makes that AAL2.
 * Returns what registerKey returns. `signInOverrides` shape the sign-in's assertion only.
 */
export async function registerFirstKeyAndSignIn(
  client: TestClient,
  authenticator: SoftwareAuthenticator,
  input: { name: string },
  signInOverrides?: AuthenticationOverrides,
): Promise<HttpResult<Json> & { credential: RegistrationResponseJSON }> {
  const registered = await registerKey(client, authenticator, { ...input, usage: "first" });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const signedIn = await signInWithKey(client, authenticator, {}, signInOverrides);
  expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
  expect(signedIn.body.session, "the first key must sign in at AAL2").toMatchObject({ aal: 2 });
  return registered;
}

/**
 * Password, then a `secondary` key as the second factor, on the same client: replaces the
 * client's session with an AAL2 one, as factor changes need once the account has a factor.
 */
export async function signInWithPasswordAndKey(
  client: TestClient,
  email: string,
  key: SoftwareAuthenticator,
): Promise<HttpResult<Json>> {
  const login = await client.post("/login", { identity: email, password: PASSWORD });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  expect(login.body).toMatchObject({ twoFactorRequired: true });
  const done = await signInWithKey(client, key, { secondFactorState: login.body.state });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  expect(done.body.session).toMatchObject({ aal: 2 });
  return done;
}

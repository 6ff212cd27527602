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
  input: { name: string; usage: "first" | "secondary" },
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

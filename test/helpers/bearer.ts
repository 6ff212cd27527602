import { expect } from "vitest";
import { PASSWORD } from "./ceremonies.js";
import type { Harness, HttpResult, TestClient } from "./harness.js";

// Clients that hold sessions as bearer tokens (session.bearer): an SPA on another origin, a
// mobile app, a CLI. They send `"session": "token"` at sign-in and `Authorization: Bearer`.

export type Json = Record<string, unknown>;

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A sign-in answered with a token: the session in the body, and no cookie at all. */
export function expectToken(result: HttpResult<Json>, status = 200): string {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  expect(result.headers.getSetCookie(), "a bearer answer sets no cookie").toEqual([]);
  const { token } = result.body as { token?: string };
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return token!;
}

/** Password sign-in asking for a token; a second factor owed answers with a pending token. */
export async function tokenLogin(
  client: TestClient,
  email: string,
): Promise<HttpResult<Json> & { pendingToken?: string; state?: string }> {
  const result = await client.post("/login", {
    identity: email,
    password: PASSWORD,
    session: "token",
  });
  const { pendingToken, state } = result.body as { pendingToken?: string; state?: string };
  return { ...result, ...(pendingToken ? { pendingToken } : {}), ...(state ? { state } : {}) };
}

/** What `/me` says for a bearer token: the user's id, or the error code. */
export async function meWith(h: Harness, token: string): Promise<{ status: number; body: Json }> {
  const result = await h.client().get("/me", bearer(token));
  return { status: result.status, body: result.body };
}

import { expect } from "vitest";
import type { Harness, HttpResult } from "./harness.js";

/** An attack must be refused with a 4xx and a stable code, never a 5xx. */
export function expectRefused(result: HttpResult, code?: string): void {
  expect(result.status, JSON.stringify(result.body)).toBeGreaterThanOrEqual(400);
  expect(result.status, JSON.stringify(result.body)).toBeLessThan(500);
  const body = result.body as { error?: { code?: unknown } };
  expect(typeof body.error?.code).toBe("string");
  if (code) expect(body.error?.code).toBe(code);
}

/** True when the response started a session (Set-Cookie with a live session id, `__Host-` on https). */
export function startedSession(result: HttpResult): boolean {
  return result.headers
    .getSetCookie()
    .some((line) => /^(__Host-)?keyward_session=/.test(line) && !line.includes("Max-Age=0"));
}

/** Everything an attack could have written about a user, to compare before and after. */
export async function userSnapshot(h: Harness, userId: string) {
  return {
    credentials: await h.store.credentials.listForUser(userId),
    user: await h.store.users.byId(userId),
  };
}

/** Replaces one field of a JSON object by a dotted path, returning a copy. */
export function withField<T>(value: T, path: string, replacement: unknown): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  const parts = path.split(".");
  let node = copy;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts[parts.length - 1]!] = replacement;
  return copy as T;
}

/**
 * What a relaying phishing proxy carries: the victim browser's pending sign-in cookie, copied
 * into the attacker's client. The pending state is bound to that cookie; with it, only the
 * checks behind the binding (the code, the key, the user) can refuse.
 */
export function carryPendingCookie(
  from: { cookies: Map<string, string> },
  to: { cookies: Map<string, string> },
): void {
  const value = from.cookies.get("keyward_tf");
  expect(value, "the victim's pending sign-in cookie").toBeDefined();
  to.cookies.set("keyward_tf", value!);
}

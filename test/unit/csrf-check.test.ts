import { describe, expect, it } from "vitest";
import { ErrorCode, KeywardError } from "../../src/core/errors.js";
import { type CsrfRequest, checkCsrf, csrfTokenFor } from "../../src/session/csrf.js";

// checkCsrf decides from the request alone; the configured origins are read before the
// request's own URL, so both kinds of same-site origin must still pass and others must not.

const secret = "s".repeat(32);
const configured = ["https://app.example.com"];

function post(overrides: Partial<CsrfRequest>): CsrfRequest {
  return {
    method: "POST",
    url: "https://auth.example.com/auth/logout",
    origin: undefined,
    fetchSite: undefined,
    bodyKind: "json",
    cookieValue: undefined,
    formToken: undefined,
    ...overrides,
  };
}

function refusal(request: CsrfRequest): string | undefined {
  try {
    checkCsrf(request, configured, secret);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(KeywardError);
    return (error as KeywardError).code;
  }
}

describe("checkCsrf", () => {
  it("accepts JSON from a configured origin, from the request's own origin, and with no Origin", () => {
    expect(refusal(post({ origin: "https://app.example.com" }))).toBeUndefined();
    expect(refusal(post({ origin: "https://auth.example.com" }))).toBeUndefined();
    expect(refusal(post({}))).toBeUndefined();
  });

  it("refuses JSON from any other origin, and any cross-site fetch", () => {
    expect(refusal(post({ origin: "https://evil.example" }))).toBe(ErrorCode.CSRF_FAILED);
    expect(refusal(post({ origin: "http://auth.example.com" }))).toBe(ErrorCode.CSRF_FAILED);
    expect(refusal(post({ origin: "https://app.example.com", fetchSite: "cross-site" }))).toBe(
      ErrorCode.CSRF_FAILED,
    );
  });

  it("accepts a form only with the token of its cookie", () => {
    const cookieValue = "c".repeat(32);
    const form = { bodyKind: "form" as const, origin: "https://app.example.com" };
    expect(refusal(post({ ...form }))).toBe(ErrorCode.CSRF_FAILED);
    expect(refusal(post({ ...form, cookieValue, formToken: "forged" }))).toBe(
      ErrorCode.CSRF_FAILED,
    );
    expect(
      refusal(post({ ...form, cookieValue, formToken: csrfTokenFor(secret, cookieValue) })),
    ).toBeUndefined();
  });
});

import { ErrorCode, KeywardError } from "../core/errors.js";
import { constantTimeEqual, hmac, randomToken } from "../core/ids.js";
import type { Cookies } from "./cookies.js";

export const CSRF_COOKIE = "keyward_csrf";
export const CSRF_FIELD = "csrfToken";

/** The token a form must carry: bound to the browser's CSRF cookie and the app secret. */
export function csrfTokenFor(secret: string, cookieValue: string): string {
  return hmac(secret, `csrf:${cookieValue}`);
}

export function newCsrfCookieValue(): string {
  return randomToken(24);
}

/** How long a browser keeps its CSRF cookie: a year (the token is only as good as the cookie). */
const CSRF_COOKIE_MAX_AGE = 31_536_000;

/**
 * The token a browser's forms must carry, from its CSRF cookie; when it has none (or a
 * malformed one), a new cookie too, which the response must set (`setCookie`).
 */
export function formToken(
  cookies: Pick<Cookies, "read" | "set">,
  secret: string,
  cookieHeader: string | undefined,
): { token: string; setCookie?: string } {
  const cookie = cookies.read(cookieHeader, "csrf");
  if (cookie && /^[A-Za-z0-9_-]{32}$/.test(cookie)) return { token: csrfTokenFor(secret, cookie) };
  const fresh = newCsrfCookieValue();
  return {
    token: csrfTokenFor(secret, fresh),
    setCookie: cookies.set("csrf", fresh, CSRF_COOKIE_MAX_AGE),
  };
}

export interface CsrfRequest {
  method: string;
  url: string;
  origin: string | undefined;
  fetchSite: string | undefined;
  bodyKind: "json" | "form";
  cookieValue: string | undefined;
  formToken: unknown;
}

function refuse(why: string): KeywardError {
  return new KeywardError(ErrorCode.CSRF_FAILED, why);
}

/**
 * Refuses cross-site state changes. Browsers send Origin and Sec-Fetch-Site on POSTs: a request
 * from a site we do not serve is refused. JSON cannot be sent cross-site without a CORS
 * preflight (which Keyward never grants), so clients without those headers are not browsers
 * acting for an attacker. Forms can be sent cross-site, so they must also carry the token.
 */
export function checkCsrf(request: CsrfRequest, allowedOrigins: string[], secret: string): void {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return;
  if (request.fetchSite === "cross-site") throw refuse("Cross-site requests are refused.");
  // A configured origin needs no parsing of the request's URL (most requests come from one).
  const origin = request.origin;
  if (
    origin !== undefined &&
    !allowedOrigins.includes(origin) &&
    origin !== new URL(request.url).origin
  ) {
    throw refuse("This origin may not send requests here.");
  }
  if (request.bodyKind === "form") {
    const token = typeof request.formToken === "string" ? request.formToken : "";
    const cookie = request.cookieValue;
    if (!cookie || !constantTimeEqual(token, csrfTokenFor(secret, cookie))) {
      throw refuse("The form's security token is missing or stale; reload the page.");
    }
  }
}

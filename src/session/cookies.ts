import type { KeywardConfig } from "../config/schema.js";
import { CSRF_COOKIE } from "./csrf.js";

export interface CookieOptions {
  /** Undefined: a browser-session cookie (no Max-Age), which the browser drops when it closes. */
  maxAgeSeconds: number | undefined;
  secure: boolean;
}

/** Every cookie Keyward sets, by what it carries. */
export type CookieKind = "session" | "csrf" | "pending" | "remember";

/** The pending second-factor state of an HTML form sign-in (JSON clients keep it in the body). */
const PENDING_COOKIE = "keyward_tf";

/**
 * Whether cookies are Secure, decided from configuration alone. A request's URL says only what
 * the proxy in front forwarded, so it never decides. "auto": Secure unless every web origin is
 * plain http (which the schema allows only for localhost), so a mixed http://localhost +
 * https://example.com list is Secure.
 */
export function secureCookies(config: KeywardConfig): boolean {
  if (config.session.secureCookie !== "auto") return config.session.secureCookie === "always";
  const web = [...config.rp.origins, ...config.rp.relatedOrigins].filter((origin) =>
    /^https?:\/\//.test(origin),
  );
  return web.length === 0 || web.some((origin) => origin.startsWith("https://"));
}

/**
 * Keyward's cookies as this configuration names and flags them. With Secure on, each name gets
 * the `__Host-` prefix: a browser then keeps the cookie only if it is Secure, Path=/ and has no
 * Domain, so neither a sibling subdomain nor a plain-http page can set one that shadows ours.
 */
export class Cookies {
  readonly secure: boolean;
  private readonly names: Record<CookieKind, string>;

  constructor(config: KeywardConfig) {
    this.secure = secureCookies(config);
    const prefix = this.secure ? "__Host-" : "";
    this.names = {
      session: `${prefix}${config.session.cookieName}`,
      csrf: `${prefix}${CSRF_COOKIE}`,
      pending: `${prefix}${PENDING_COOKIE}`,
      remember: `${prefix}${config.twoFactor.rememberCookieName}`,
    };
  }

  /** The name this cookie has on the wire. */
  name(kind: CookieKind): string {
    return this.names[kind];
  }

  /** The cookie's value in a Cookie header; undefined when absent or ambiguous (see readCookie). */
  read(header: string | null | undefined, kind: CookieKind): string | undefined {
    return readCookie(header, this.names[kind]);
  }

  /** A Set-Cookie value that sets the cookie for `maxAgeSeconds` (undefined: until the browser closes). */
  set(kind: CookieKind, value: string, maxAgeSeconds: number | undefined): string {
    return serializeCookie(this.names[kind], value, { maxAgeSeconds, secure: this.secure });
  }

  /** A Set-Cookie value that deletes the cookie. */
  clear(kind: CookieKind): string {
    return this.set(kind, "", 0);
  }
}

/** A Set-Cookie value: HttpOnly and SameSite=Lax always, Path=/ so the app's routes see it. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  if (options.maxAgeSeconds !== undefined) {
    parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`);
  }
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

/**
 * Reads one cookie from a Cookie header. A browser sends two cookies of one name when another
 * host of the site (or a plain-http page) set one with a wider Domain or Path; which comes first
 * is not ours to choose. Two different values are therefore no value at all, so a planted copy
 * never wins silently; the same value twice is no ambiguity.
 */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  let found: string | undefined;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    if (part.slice(0, index).trim() !== name) continue;
    const value = part.slice(index + 1).trim();
    if (found !== undefined && found !== value) return undefined;
    found = value;
  }
  return found;
}

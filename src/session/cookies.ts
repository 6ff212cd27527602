import type { KeywardConfig } from "../config/schema.js";

export interface CookieOptions {
  maxAgeSeconds: number;
  secure: boolean;
}

/** Secure everywhere except plain-http localhost, where browsers would drop the cookie. */
export function wantsSecureCookie(config: KeywardConfig, requestUrl: string): boolean {
  if (config.session.secureCookie !== "auto") return config.session.secureCookie === "always";
  const url = new URL(requestUrl);
  const local =
    url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  return !(local && url.protocol === "http:");
}

/** A Set-Cookie value: HttpOnly and SameSite=Lax always, Path=/ so the app's routes see it. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
  ];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

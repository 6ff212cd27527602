import type { Context } from "hono";
import type { KeywardContext } from "../context.js";
import type { HttpEnv } from "./env.js";

/**
 * JSON or HTML: one endpoint serves both. A JSON client gets the JSON contract; a plain HTML
 * form (form body and `Accept: text/html`) gets a 303 redirect on success and, on failure, the
 * page it came from again with the error (see routes/pages-render.ts).
 */

/** Where the pages send people, per Keyward instance (set once by createHttpApp). */
export interface Site {
  /** The app's home page: where a sign-in ends when no `next` was given. */
  home: string;
  /** Whether the HTML pages are served at all. */
  pages: boolean;
}

const sites = new WeakMap<KeywardContext, Site>();

export function setSite(ctx: KeywardContext, site: Site): void {
  sites.set(ctx, site);
}

export function siteOf(ctx: KeywardContext): Site {
  return sites.get(ctx) ?? { home: "/", pages: false };
}

/** A form post from a browser that wants a page back, not a JSON client. */
export function wantsHtml(c: Context<HttpEnv>): boolean {
  if (c.req.method !== "POST") return false;
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return false;
  return /\btext\/html\b/i.test(c.req.header("accept") ?? "");
}

/**
 * A path on this site to continue to, or undefined. Only plain absolute paths are accepted
 * ("/account?tab=keys"): never another origin ("//evil.example", "https://…", "/\\evil").
 */
export function safeNext(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return undefined;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return undefined;
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || ch === "\\") return undefined;
  }
  return value;
}

/** The `next` a form (or, for pages, the query string) carries, validated. */
export function nextOf(c: Context<HttpEnv>): string | undefined {
  const input = c.get("input") as Record<string, unknown> | undefined;
  return safeNext(input?.next ?? c.req.query("next"));
}

/** A redirect after a successful form post: the browser then GETs `to` (post/redirect/get). */
export function seeOther(c: Context<HttpEnv>, to: string): Response {
  return c.redirect(to, 303);
}

/**
 * The answer to a state-changing request: `json()` for API clients; for an HTML form, a 303
 * to `redirect` (usually a page with `?done=` so it can confirm what happened).
 */
export function reply(c: Context<HttpEnv>, json: () => Response, redirect: () => string): Response {
  return wantsHtml(c) ? seeOther(c, redirect()) : json();
}

/** A path with `done=` (a confirmation the page shows) and `next` carried along. */
export function withDone(path: string, done: string, next?: string): string {
  const query = new URLSearchParams({ done });
  if (next) query.set("next", next);
  return `${path}?${query}`;
}

/**
 * Where an app page guarded by `auth.require()` sends a browser that does not meet the
 * requirement (instead of a JSON error): to sign in, or to confirm it's them, then back.
 * Undefined for API clients (no `Accept: text/html`) and for anything but GET.
 */
export function pageRedirectFor(
  code: string,
  request: { method: string; accept: string | undefined; path: string },
  prefix: string,
): string | undefined {
  if (request.method !== "GET" || !/\btext\/html\b/i.test(request.accept ?? "")) return undefined;
  const next = encodeURIComponent(safeNext(request.path) ?? "/");
  if (code === "UNAUTHENTICATED" || code === "AAL_REQUIRED") return `${prefix}/login?next=${next}`;
  if (code === "FRESHNESS_REQUIRED") return `${prefix}/verify?next=${next}`;
  // The verify page then offers what restores AAL2: a passkey, or signing in again.
  if (code === "REAUTHENTICATION_REQUIRED") return `${prefix}/verify?next=${next}&reauthenticate`;
  return undefined;
}

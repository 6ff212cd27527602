import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context as HonoContext, Next } from "hono";
import type { ActiveSession } from "../core/caller.js";
import { KeywardError, statusOf } from "../core/errors.js";
import type { Requirement } from "../session/assurance.js";

type ExpressNext = (error?: unknown) => void;

/** `auth.require()`: one middleware that Hono and Express/Connect can both mount. */
export type RequireMiddleware = {
  (c: HonoContext, next: Next): Promise<Response | undefined>;
  (req: IncomingMessage, res: ServerResponse, next: ExpressNext): Promise<void>;
};

/** A guarded request as far as the page redirect cares: what it asks for and where it was. */
export interface GuardedRequest {
  method: string;
  accept: string | undefined;
  path: string;
}

/** What the middleware needs from the instance: the session check and its page redirects. */
export interface Gate {
  /** The session behind the request if it meets `requirement`; otherwise throws a KeywardError. */
  authorise(carrier: Request | IncomingMessage, requirement: Requirement): Promise<ActiveSession>;
  /** Where a browser opening the page goes instead (sign in, verify), or undefined for JSON. */
  pageRedirect(error: KeywardError, request: GuardedRequest): string | undefined;
  /** The error's message in the language the request's Accept-Language picks. */
  message(error: KeywardError, acceptLanguage: string | undefined): string;
}

function errorJson(gate: Gate, error: KeywardError, acceptLanguage: string | undefined) {
  const { code, details } = error;
  const message = gate.message(error, acceptLanguage);
  return { error: { code, message, ...(details ? { details } : {}) } };
}

/** Hono: sets `c.var.keyward`, or answers with a redirect (pages) or Keyward's error JSON. */
function forHono(gate: Gate, requirement: Requirement) {
  return async (c: HonoContext, next: Next): Promise<Response | undefined> => {
    try {
      c.set("keyward" as never, (await gate.authorise(c.req.raw, requirement)) as never);
    } catch (error) {
      if (!(error instanceof KeywardError)) throw error;
      const url = new URL(c.req.url);
      const to = gate.pageRedirect(error, {
        method: c.req.method,
        accept: c.req.header("accept"),
        path: url.pathname + url.search,
      });
      if (to) return c.redirect(to, 303);
      return c.json(
        errorJson(gate, error, c.req.header("accept-language")),
        statusOf(error.code) as 401,
      );
    }
    await next();
    return undefined;
  };
}

/** Express, Connect, Node: sets `req.keyward`, or answers as the Hono form does. */
function forNode(gate: Gate, requirement: Requirement) {
  return async (req: IncomingMessage, res: ServerResponse, next: ExpressNext): Promise<void> => {
    let active: ActiveSession;
    try {
      active = await gate.authorise(req, requirement);
    } catch (error) {
      if (!(error instanceof KeywardError)) return next(error);
      const to = gate.pageRedirect(error, {
        method: req.method ?? "GET",
        accept: req.headers.accept,
        // Express strips its mount path from req.url; the redirect comes back to the full path.
        path: (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? "/",
      });
      if (to) {
        res.writeHead(303, { location: to });
        res.end();
        return;
      }
      res.writeHead(error.status, { "content-type": "application/json" });
      res.end(JSON.stringify(errorJson(gate, error, headerOf(req.headers["accept-language"]))));
      return;
    }
    (req as IncomingMessage & { keyward?: ActiveSession }).keyward = active;
    next();
  };
}

/**
 * The middleware `auth.require(requirement)` returns. Hono calls it with (context, next) and
 * Express with (req, res, next): the third argument tells which.
 */
export function requireMiddleware(gate: Gate, requirement: Requirement): RequireMiddleware {
  const hono = forHono(gate, requirement);
  const node = forNode(gate, requirement);
  return ((a: HonoContext | IncomingMessage, b: Next | ServerResponse, c?: ExpressNext) =>
    c === undefined
      ? hono(a as HonoContext, b as Next)
      : node(a as IncomingMessage, b as ServerResponse, c)) as RequireMiddleware;
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}

import type { Context } from "hono";
import type { KeywardContext } from "../context.js";
import type { Caller } from "../core/caller.js";
import { clientInfo } from "./client.js";
import type { HttpEnv } from "./env.js";

const BEARER = /^Bearer(?:[ \t]+(.*))?$/i;

/**
 * The token of `Authorization: Bearer <token>`, when bearer tokens are on (`session.bearer`);
 * a malformed one is "", which names no session (and is refused as such, never as no bearer).
 * Another scheme, or bearer tokens off, is no bearer: the request is a cookie request.
 */
export function bearerOf(
  config: KeywardContext["config"],
  authorization: string | null | undefined,
): string | undefined {
  if (!config.session.bearer || !authorization) return undefined;
  const match = BEARER.exec(authorization.trim());
  if (!match) return undefined;
  const token = (match[1] ?? "").trim();
  return /^[A-Za-z0-9_-]{1,256}$/.test(token) ? token : "";
}

/**
 * Who is asking, read from the request once (and kept on it): the client, how it holds
 * sessions, the session it carries and the pending sign-in it holds. Features take this one
 * value. A request with a bearer token is a bearer request through and through: its cookies
 * are not read at all, so no cookie can stand in for a token that failed.
 */
export function callerOf(ctx: KeywardContext, c: Context<HttpEnv>): Caller {
  let caller = c.get("caller");
  if (!caller) {
    const bearer = bearerOf(ctx.config, c.req.header("authorization"));
    // A bearer request reads no cookie; a request without a Cookie header has none to read.
    const cookies = bearer === undefined ? c.req.header("cookie") : undefined;
    const pending = cookies ? ctx.cookies.read(cookies, "pending") : undefined;
    const { ip, userAgent } = clientInfo(c, ctx.config);
    caller = {
      client: { ip, userAgent, locale: ctx.languages.pick(c.req.header("accept-language")) },
      request: c.req.raw,
      carrier: bearer === undefined ? "cookie" : "bearer",
      bearer,
      sessionToken: bearer ?? (cookies ? ctx.cookies.read(cookies, "session") : undefined),
      heldPending: pending && /^[A-Za-z0-9_-]{16,128}$/.test(pending) ? pending : undefined,
    };
    c.set("caller", caller);
  }
  return caller;
}

/** The caller of a sign-in that asked for a token (`"session": "token"`) in its body. */
export function askForToken(ctx: KeywardContext, c: Context<HttpEnv>): void {
  const caller = callerOf(ctx, c);
  if (caller.carrier === "bearer") return;
  c.set("caller", {
    ...caller,
    carrier: "bearer",
    sessionToken: undefined,
    heldPending: undefined,
  });
}

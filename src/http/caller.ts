import type { Context } from "hono";
import type { KeywardContext } from "../context.js";
import type { Caller } from "../core/caller.js";
import { clientInfo } from "./client.js";
import type { HttpEnv } from "./env.js";
import { sessionToken } from "./session-cookie.js";
import { pendingState } from "./signin-response.js";

/**
 * Who is asking, read from the request once (and kept on it): the client, the session it
 * carries and the pending sign-in it holds. Features take this one value.
 */
export function callerOf(ctx: KeywardContext, c: Context<HttpEnv>): Caller {
  let caller = c.var.caller;
  if (!caller) {
    caller = {
      client: clientInfo(c, ctx.config),
      request: c.req.raw,
      sessionToken: sessionToken(ctx, c),
      heldPending: pendingState(ctx, c),
    };
    c.set("caller", caller);
  }
  return caller;
}

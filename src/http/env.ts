import type { IncomingMessage } from "node:http";
import type { ActiveSession, Caller } from "../core/caller.js";

/**
 * What the Hono app sees: Node's request when served by toNodeHandler, and parsed state. Read
 * variables with `c.get(name)`, not `c.var.name`: Hono's `c.var` copies every variable into a
 * new object on each access.
 */
export interface HttpEnv {
  Bindings: { incoming?: IncomingMessage; ip?: string };
  Variables: {
    input: unknown;
    active: ActiveSession | undefined;
    /** Read once per request by callerOf (http/caller.ts). */
    caller: Caller | undefined;
  };
}

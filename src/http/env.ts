import type { IncomingMessage } from "node:http";
import type { ActiveSession } from "../session/sessions.js";

/** What the Hono app sees: Node's request when served by toNodeHandler, and parsed state. */
export interface HttpEnv {
  Bindings: { incoming?: IncomingMessage; ip?: string };
  Variables: { input: unknown; active: ActiveSession | undefined };
}

import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { Keyward } from "./index.js";

/**
 * Serves Keyward from Node's http server or Express/Connect: `app.use("/auth", toNodeHandler(auth))`
 * or `http.createServer(toNodeHandler(auth))`. Requests outside the prefix get a JSON 404.
 */
export function toNodeHandler(
  auth: Keyward,
): (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void {
  const listener = getRequestListener((request, env) =>
    auth.fetch(request, env as { incoming?: IncomingMessage }),
  );
  return (req, res) => {
    // Express strips its mount path from req.url; put it back so routes match the prefix.
    const original = (req as IncomingMessage & { originalUrl?: string }).originalUrl;
    if (original) req.url = original;
    void listener(req, res);
  };
}

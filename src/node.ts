import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { ErrorCode, KeywardError } from "./core/errors.js";
import type { ErrorBody } from "./http/errors.js";
import type { Keyward } from "./index.js";

let toldAboutBodyParser = false;

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
    if (readByBodyParser(req)) {
      refuseParsedBody(auth, req, res);
      return;
    }
    void listener(req, res);
  };
}

/** A body parser (express.json(), urlencoded()…) mounted before Keyward has read the body. */
function readByBodyParser(req: IncomingMessage): boolean {
  const parsed = req as IncomingMessage & { body?: unknown; _body?: boolean };
  return req.readableEnded && (parsed._body === true || parsed.body !== undefined);
}

/**
 * Keyward reads each body itself (its size limit, its form rules, CSRF): a body already parsed
 * by another middleware is not taken on trust. The app is misconfigured, so the log says how
 * to fix it (once), and the request gets a 500 like any server fault.
 */
function refuseParsedBody(auth: Keyward, req: IncomingMessage, res: ServerResponse): void {
  if (!toldAboutBodyParser) {
    toldAboutBodyParser = true;
    console.error(
      `keyward: a body parser read the body of ${req.method} ${req.url} before Keyward could: ` +
        "mount Keyward before express.json() / express.urlencoded(), or keep them off its routes (docs/adapters.md)",
    );
  }
  const error = new KeywardError(ErrorCode.INTERNAL);
  const body: ErrorBody = {
    error: { code: error.code, message: auth.api.errorMessage(error, req) },
  };
  res.writeHead(error.status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

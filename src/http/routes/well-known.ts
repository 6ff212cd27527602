import type { Hono } from "hono";
import type { KeywardContext } from "../../context.js";
import type { HttpEnv } from "../env.js";

/**
 * GET /.well-known/webauthn, at the site root (not under the prefix): the WebAuthn Related
 * Origin Requests document, `{"origins": [...]}`. A browser asked for a ceremony with this RP ID
 * from another origin fetches it from `https://<rp.id>/.well-known/webauthn` and allows the
 * ceremony if the origin is listed. The list is `rp.origins` and `rp.relatedOrigins` (web
 * origins only), the same origins verification accepts.
 */
export function wellKnownRoutes(root: Hono<HttpEnv>, ctx: KeywardContext): void {
  const origins = [...ctx.config.rp.origins, ...ctx.config.rp.relatedOrigins].filter((origin) =>
    /^https?:\/\//.test(origin),
  );
  root.get("/.well-known/webauthn", (c) => {
    c.header("Cache-Control", "public, max-age=300");
    c.header("X-Content-Type-Options", "nosniff");
    return c.json({ origins });
  });
}

import type { Hono } from "hono";
import type { KeywardContext } from "../../context.js";
import type { HttpEnv } from "../env.js";

/** GET /health: 200 when the database (and Redis, if configured) answer; 503 otherwise. */
export function healthRoutes(app: Hono<HttpEnv>, ctx: KeywardContext): void {
  app.get("/health", async (c) => {
    await ctx.health();
    return c.json({ status: "ok" });
  });
}

import type { KeywardContext } from "../../context.js";
import { HealthJson } from "../responses.js";
import type { RouteTable } from "../route.js";

/** GET /health: 200 when the database (and Redis, if configured) answer; 503 otherwise. */
export function healthRoutes(routes: RouteTable, ctx: KeywardContext): void {
  routes.get(
    "/health",
    {
      access: "public",
      summary: "200 when the database (and Redis) answer",
      tag: "service",
      returns: HealthJson,
    },
    async (c) => {
      await ctx.health();
      return c.json({ status: "ok" });
    },
  );
}

import type { KeywardContext } from "../../context.js";
import { StoreUnavailableError } from "../../core/errors.js";
import { HealthJson } from "../responses.js";
import type { RouteTable } from "../route.js";

/**
 * GET /health: 200 when the database (and Redis, if configured) answer, each named in the body;
 * otherwise 503 STORE_UNAVAILABLE with what answered and what did not in `details`. It answers
 * within about a second whatever the request pool's state (the database check has its own
 * connection), so a load balancer does not drop an instance because its pool is busy.
 */
export function healthRoutes(routes: RouteTable, ctx: KeywardContext): void {
  routes.get(
    "/health",
    {
      access: "public",
      summary: "200 when the database (and Redis) answer; each service's state in the body",
      tag: "service",
      returns: HealthJson,
    },
    async (c) => {
      const report = await ctx.health();
      if (report.database !== "ok" || (report.redis ?? "ok") !== "ok") {
        throw new StoreUnavailableError(report, { ...report });
      }
      return c.json({
        status: "ok" as const,
        database: "ok" as const,
        ...(report.redis ? { redis: "ok" as const } : {}),
      });
    },
  );
}

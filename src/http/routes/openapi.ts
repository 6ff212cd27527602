import type { Hono } from "hono";
import type { KeywardContext } from "../../context.js";
import type { HttpEnv } from "../env.js";
import { openApiDocument } from "../openapi.js";

/** GET /openapi.json: the OpenAPI 3.1 description of this API, built once. */
export function openApiRoutes(app: Hono<HttpEnv>, ctx: KeywardContext): void {
  let document: Record<string, unknown> | undefined;
  app.get("/openapi.json", (c) => {
    document ??= openApiDocument(ctx.config);
    return c.json(document);
  });
}

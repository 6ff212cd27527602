import type { KeywardContext } from "../../context.js";
import { openApiDocument } from "../openapi.js";
import { ObjectJson } from "../responses.js";
import type { RouteTable } from "../route.js";

/** GET /openapi.json: the OpenAPI 3.1 description of this API, built once from its routes. */
export function openApiRoutes(routes: RouteTable, ctx: KeywardContext): void {
  let document: Record<string, unknown> | undefined;
  routes.get(
    "/openapi.json",
    { access: "public", summary: "This document", tag: "service", returns: ObjectJson },
    (c) => {
      document ??= openApiDocument(ctx.config, routes.declared);
      return c.json(document);
    },
  );
}

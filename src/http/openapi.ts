import { z } from "zod";
import type { KeywardConfig } from "../config/schema.js";
import { type ErrorCode, statusOf } from "../core/errors.js";
import { responseSchemas } from "./responses.js";
import { type DeclaredRoute, sessionChoice, type Tag } from "./route.js";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function requestSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return rest;
}

/**
 * A sign-in route's body with the field every such route accepts (`"session": "token"`,
 * RouteRule.signsIn), added to the object the body schema describes.
 */
function signInRequestSchema(schema: z.ZodType): Record<string, unknown> {
  const body = requestSchema(schema) as { properties?: Record<string, unknown> };
  const { properties } = requestSchema(sessionChoice) as { properties: Record<string, unknown> };
  return { ...body, properties: { ...body.properties, ...properties } };
}

/** The named response bodies of http/responses.ts, as components that refer to each other. */
function components(): Record<string, Record<string, unknown>> {
  const { schemas } = z.toJSONSchema(responseSchemas, {
    io: "output",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]),
  );
}

/** A success body: its component when it has one, else the schema itself. */
function responseSchema(schema: z.ZodType): Record<string, unknown> {
  const id = responseSchemas.get(schema)?.id;
  if (id !== undefined) return ref(id);
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: "output",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return rest;
}

/** The route's error codes, one response per HTTP status, each naming the codes it carries. */
function errorResponses(codes: readonly ErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [
        String(status),
        {
          description: list.join(", "),
          content: {
            "application/json": {
              schema: {
                allOf: [
                  ref("Error"),
                  { properties: { error: { properties: { code: { enum: list } } } } },
                ],
              },
            },
          },
        },
      ]),
  );
}

const accessDescription: Partial<Record<DeclaredRoute["access"], string>> = {
  fresh: "Needs a fresh session (FRESHNESS_REQUIRED otherwise).",
  "factor-change":
    "Changes how the account signs in: needs a fresh session at the highest assurance level the account can reach (AAL_REQUIRED or FRESHNESS_REQUIRED otherwise).",
};

const tags: Tag[] = ["accounts", "webauthn", "two-factor", "lifecycle", "service"];

/**
 * The OpenAPI 3.1 document of the JSON API, made from the routes' declarations (http/route.ts):
 * request bodies from the schemas that validate them, success bodies from http/responses.ts,
 * and each route's error codes. Routes that serve the HTML pages only are left out.
 */
export function openApiDocument(
  config: Pick<KeywardConfig, "prefix" | "rp">,
  routes: readonly DeclaredRoute[],
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (route.returns === "page") continue;
    const method = route.method.toLowerCase();
    const description = accessDescription[route.access];
    paths[`${config.prefix}${route.path}`] ??= {};
    paths[`${config.prefix}${route.path}`]![method] = {
      operationId: `${method}${route.path.replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
      summary: route.summary,
      tags: [route.tag],
      "x-keyward-access": route.access,
      ...(route.access === "public" ? {} : { security: [{ session: [] }, { bearerAuth: [] }] }),
      ...(description ? { description } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: {
                "application/json": {
                  schema: route.signsIn
                    ? signInRequestSchema(route.body)
                    : requestSchema(route.body),
                },
                "application/x-www-form-urlencoded": { schema: requestSchema(route.body) },
              },
            },
          }
        : {}),
      responses: {
        [String(route.status)]: {
          description: "Success",
          content: { "application/json": { schema: responseSchema(route.returns) } },
        },
        ...errorResponses(route.errors),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: `${config.rp.name} authentication API (Keyward)`,
      version: "1",
      description: "JSON API of Keyward. Errors are {error: {code, message}} with a stable code.",
    },
    tags: tags.map((name) => ({ name })),
    paths,
    components: {
      schemas: components(),
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "keyward_session" },
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description:
            'A session as a bearer token (session.bearer): ask for it at sign-in with "session": "token". A request that sends one ignores cookies and needs no CSRF token; a token that names no live session is 401 BEARER_TOKEN_INVALID.',
        },
      },
    },
  };
}

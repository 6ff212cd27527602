import { readFileSync } from "node:fs";
import { validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { docsConfig } from "../../scripts/docs-config.js";
import { apiOperations, openApiDocument } from "../../src/http/openapi.js";
import { databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";

const [sqlite] = await databaseTargets();

// POST routes that only serve the HTML pages' forms (documented in docs/pages.md).
const FORM_ONLY = new Set(["POST /auth/tf-continue"]);

describe("OpenAPI document", () => {
  const h = useHarness(sqlite!);

  it("is a valid OpenAPI 3.1 document", async () => {
    const document = openApiDocument(h.auth.config);
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, JSON.stringify(result, null, 2)).toBe(true);
  });

  it("is served at {prefix}/openapi.json and checked in as docs/openapi.json", async () => {
    const served = await h.client().get("/openapi.json");
    expect(served.status).toBe(200);
    expect(served.body).toEqual(openApiDocument(h.auth.config));
    const checkedIn = JSON.parse(
      readFileSync(new URL("../../docs/openapi.json", import.meta.url), "utf8"),
    );
    expect(checkedIn, "run `npm run docs:openapi`").toEqual(openApiDocument(docsConfig()));
  });

  it("documents exactly the JSON routes the server answers", async () => {
    const documented = new Set(
      apiOperations(h.auth.config).map((op) => `${op.method.toUpperCase()} /auth${op.path}`),
    );
    const served = new Set<string>();
    for (const route of h.auth.api.routes()) {
      if (!route.path.startsWith("/auth/") || route.path.includes("*") || route.path.includes(":"))
        continue;
      const key = `${route.method} ${route.path}`;
      if (FORM_ONLY.has(key)) continue;
      if (route.method === "GET") {
        // A GET route that answers anything but JSON (a page, a redirect, a script) is not API.
        const response = await h.auth.fetch(
          new Request(`${h.origin}${route.path}`, { redirect: "manual" }),
        );
        if (!(response.headers.get("content-type") ?? "").includes("application/json")) continue;
      }
      served.add(key);
    }
    expect(
      [...served].filter((k) => !documented.has(k)),
      "served but not documented",
    ).toEqual([]);
    expect(
      [...documented].filter((k) => !served.has(k)),
      "documented but not served",
    ).toEqual([]);
  });

  it("describes request bodies with the schemas that validate them", async () => {
    const document = openApiDocument(h.auth.config) as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<string, { schema: { properties?: Record<string, unknown> } }>;
            };
          }
        >
      >;
    };
    const login =
      document.paths["/auth/login"]!.post!.requestBody!.content["application/json"]!.schema;
    expect(Object.keys(login.properties ?? {}).sort()).toEqual(["identity", "password"]);
    // A body the schema refuses is refused by the route with INVALID_INPUT.
    const refused = await h.client().post("/login", { identity: "x" });
    expect(refused.body).toMatchObject({
      error: { code: "INVALID_INPUT", details: { field: "password" } },
    });
  });
});

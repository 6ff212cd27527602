import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { docsConfig } from "../../scripts/docs-config.js";
import { declaredRoutes } from "../../src/http/app.js";

const apiDoc = readFileSync(join(import.meta.dirname, "..", "..", "docs", "api.md"), "utf8");

describe("docs/api.md", () => {
  it("lists every route the API declares", () => {
    const routes = declaredRoutes(docsConfig()).filter((route) => route.returns !== "page");
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes
      .map((route) => `${route.method} ${route.path}`)
      .filter((route) => !apiDoc.includes(`\`${route}\``) && !apiDoc.includes(`\`${route} `));
    expect(missing).toEqual([]);
  });
});

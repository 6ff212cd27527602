import { writeFileSync } from "node:fs";
import { declaredRoutes } from "../src/http/app.js";
import { openApiDocument } from "../src/http/openapi.js";
import { docsConfig } from "./docs-config.js";

// Regenerates docs/openapi.json (default prefix); test/integration/openapi.test.ts checks it.
const config = docsConfig();
const document = openApiDocument(config, declaredRoutes(config));
writeFileSync(
  new URL("../docs/openapi.json", import.meta.url),
  `${JSON.stringify(document, null, 2)}\n`,
);
console.log("wrote docs/openapi.json");

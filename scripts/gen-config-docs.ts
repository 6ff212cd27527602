import { writeFileSync } from "node:fs";
import { configReferenceMarkdown } from "../src/config/reference.js";
import { configOptionsSource } from "./config-options.js";

// Regenerates docs/configuration.md and src/config/options.generated.ts from the config schema
// (test/unit/config.test.ts checks both).
writeFileSync(new URL("../docs/configuration.md", import.meta.url), configReferenceMarkdown());
console.log("wrote docs/configuration.md");
writeFileSync(
  new URL("../src/config/options.generated.ts", import.meta.url),
  configOptionsSource(),
);
console.log("wrote src/config/options.generated.ts");

import { writeFileSync } from "node:fs";
import { configReferenceMarkdown } from "../src/config/reference.js";

// Regenerates docs/configuration.md from the config schema (test/unit/config.test.ts checks it).
writeFileSync(new URL("../docs/configuration.md", import.meta.url), configReferenceMarkdown());
console.log("wrote docs/configuration.md");

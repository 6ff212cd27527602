import { readFileSync, writeFileSync } from "node:fs";
import { withErrorTable } from "./error-catalogue.js";

// Regenerates the error table in docs/api.md from src/core/errors.ts (test/unit/errors.test.ts checks it).
const page = new URL("../docs/api.md", import.meta.url);
writeFileSync(page, withErrorTable(readFileSync(page, "utf8")));
console.log("wrote docs/api.md");

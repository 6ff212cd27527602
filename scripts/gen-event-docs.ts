import { readFileSync, writeFileSync } from "node:fs";
import { withCatalogue } from "./event-catalogue.js";

// Regenerates the catalogue in docs/events.md from KeywardEventMap (test/integration/events-api.test.ts checks it).
const page = new URL("../docs/events.md", import.meta.url);
writeFileSync(page, withCatalogue(readFileSync(page, "utf8")));
console.log("wrote docs/events.md");

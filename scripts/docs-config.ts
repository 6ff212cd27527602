import { loadConfig } from "../src/config/load.js";

/** The configuration the checked-in docs describe: every default, an example relying party. */
export function docsConfig() {
  return loadConfig(
    {
      rp: { id: "example.com", name: "Example", origins: ["https://example.com"] },
      secret: "docs-example-secret-0123456789-abcdefghijklmnop",
    },
    {},
  );
}

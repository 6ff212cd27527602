import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withErrorTable } from "../../scripts/error-catalogue.js";
import { ErrorCode, errorCatalogue, KeywardError } from "../../src/core/errors.js";

const srcRoot = new URL("../../src/", import.meta.url).pathname;

function sources(dir = srcRoot): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

describe("the error catalogue (src/core/errors.ts)", () => {
  it("gives a code without a message its default message and its status", () => {
    const error = new KeywardError(ErrorCode.STATE_INVALID);
    expect(error.message).toBe(errorCatalogue.STATE_INVALID.message);
    expect(error.status).toBe(400);
    const specific = new KeywardError(ErrorCode.PASSWORD_TOO_SHORT, "At least 12.", { min: 12 });
    expect(specific.message).toBe("At least 12.");
    expect(specific.details).toEqual({ min: 12 });
  });

  it("lists only codes the server sends, and marks the rest reserved", () => {
    const code = sources()
      .filter((path) => !path.endsWith(join("core", "errors.ts")))
      .map((path) => readFileSync(path, "utf8"))
      .join("\n");
    const used = (name: string) => new RegExp(`\\bErrorCode\\.${name}\\b`).test(code);
    const entries = Object.entries(errorCatalogue) as [string, { reserved?: true }][];
    expect(
      entries.filter(([name, entry]) => !entry.reserved && !used(name)).map(([name]) => name),
      "no code in src/ uses these: remove them, or mark them reserved if they were ever published",
    ).toEqual([]);
    expect(
      entries.filter(([name, entry]) => entry.reserved && used(name)).map(([name]) => name),
      "these are marked reserved but are thrown",
    ).toEqual([]);
  });

  it("gives every code a meaning and a default message", () => {
    for (const [name, entry] of Object.entries(errorCatalogue)) {
      expect(entry.meaning, name).not.toBe("");
      expect(entry.message, name).toMatch(/^[A-Z].*\.$/);
      expect(entry.status, name).toBeGreaterThanOrEqual(400);
    }
  });

  it("is the error table of docs/api.md (run npm run docs:errors)", () => {
    const page = readFileSync(new URL("../../docs/api.md", import.meta.url), "utf8");
    for (const name of Object.keys(errorCatalogue)) expect(page).toContain(`| \`${name}\` |`);
    expect(page, "docs/api.md is out of date: run npm run docs:errors").toBe(withErrorTable(page));
  });
});

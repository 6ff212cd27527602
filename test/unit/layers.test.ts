import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The layering of docs/architecture.md, held by reading the sources: http → feature → store,
// one way to write atomically (ctx.transaction), events written where their change is.
const src = fileURLToPath(new URL("../../src", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

const files = sources(src).map((path) => ({
  name: relative(src, path).replaceAll("\\", "/"),
  text: readFileSync(path, "utf8"),
}));

/** `file:line` of every line matching `pattern` in the files `keep` selects. */
function offending(pattern: RegExp, keep: (name: string) => boolean): string[] {
  return files
    .filter((file) => keep(file.name))
    .flatMap((file) =>
      file.text
        .split("\n")
        .map((line, i) => (pattern.test(line) ? `${file.name}:${i + 1}` : undefined))
        .filter((hit): hit is string => hit !== undefined),
    );
}

describe("layers", () => {
  it("core/ imports nothing from store/", () => {
    expect(offending(/from "\.\.\/store\//, (name) => name.startsWith("core/"))).toEqual([]);
  });

  it("opens transactions only through ctx.transaction (store/ and context.ts implement it)", () => {
    const outsideStore = (name: string) => !name.startsWith("store/") && name !== "context.ts";
    expect(offending(/(?<!\bctx)\.transaction\(/, outsideStore)).toEqual([]);
  });

  it("records events only through tx.record or ctx.record", () => {
    const elsewhere = (name: string) => name !== "core/events.ts" && name !== "context.ts";
    expect(offending(/events\.record\(|\.events\.add\(/, elsewhere)).toEqual([]);
  });

  it("leaves repositories to features: http/, views/ and cli/ call none", () => {
    const edges = (name: string) => /^(http|views|cli)\//.test(name);
    expect(offending(/\.store\.\w+\.\w+\(/, edges)).toEqual([]);
  });
});

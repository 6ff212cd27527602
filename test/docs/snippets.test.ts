import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// Every TypeScript snippet in the README and docs/ compiles against Keyward's own types, so a
// snippet that drifts from the API (a renamed option, a wrong import) fails here, not for the
// reader. Fragments may use what test/docs/snippet-context.d.ts declares as the app's context.

const root = join(import.meta.dirname, "..", "..");
const out = join(root, "test-output", "doc-snippets");

interface Snippet {
  doc: string;
  /** The line in the doc where the code starts (1-based). */
  line: number;
  file: string;
}

function markdownFiles(): string[] {
  const docs = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return docs(path);
      return entry.name.endsWith(".md") ? [path] : [];
    });
  return ["README.md", ...docs("docs")];
}

function extractSnippets(): Snippet[] {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const snippets: Snippet[] = [];
  for (const doc of markdownFiles()) {
    const lines = readFileSync(join(root, doc), "utf8").split("\n");
    for (let i = 0; i < lines.length; i += 1) {
      if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
      const end = lines.indexOf("```", i + 1);
      if (end === -1) throw new Error(`${doc}:${i + 1}: unclosed code block`);
      const file = join(out, `${doc.replaceAll("/", "_")}-${i + 2}.ts`);
      // `export {}`: each snippet is its own module, so their names never collide.
      writeFileSync(file, `${lines.slice(i + 1, end).join("\n")}\nexport {};\n`);
      snippets.push({ doc, line: i + 2, file });
      i = end;
    }
  }
  return snippets;
}

/** `keyward/…` resolves to the source that each package.json export is built from. */
function exportPaths(): Record<string, string[]> {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    exports: Record<string, string | { types: string }>;
  };
  return Object.fromEntries(
    Object.entries(pkg.exports)
      .flatMap(([subpath, target]) =>
        typeof target === "string" ? [] : [[subpath, target] as const],
      )
      .map(([subpath, target]) => [
        subpath === "." ? "keyward" : `keyward/${subpath.slice(2)}`,
        [join(root, target.types.replace(/^\.\/dist\//, "src/").replace(/\.d\.ts$/, ".ts"))],
      ]),
  );
}

/** Runs tsc on the snippets in a child process (a compile takes long; the worker stays responsive). */
function compile(snippets: Snippet[]): Promise<string> {
  const tsconfig = join(out, "tsconfig.json");
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(root, "tsconfig.json"),
      compilerOptions: { noEmit: true, rootDir: root, baseUrl: root, paths: exportPaths() },
      files: [
        ...snippets.map((s) => s.file),
        join(import.meta.dirname, "snippet-context.d.ts"),
        join(import.meta.dirname, "snippet-modules.d.ts"),
      ],
    }),
  );
  return new Promise((resolve, reject) => {
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    execFile(process.execPath, [tsc, "-p", tsconfig, "--pretty", "false"], (error, stdout) => {
      if (error && error.code !== 2) reject(error);
      else resolve(stdout);
    });
  });
}

describe("documentation snippets", () => {
  it("compile against Keyward's types", { timeout: 300_000 }, async () => {
    const snippets = extractSnippets();
    expect(snippets.length).toBeGreaterThan(20);
    const output = await compile(snippets);
    const byName = new Map(snippets.map((s) => [relative(root, s.file), s]));
    const problems = output
      .split("\n")
      .filter((line) => line.includes("error TS"))
      .map((line) => {
        const match = /^(.*?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line);
        const snippet = match && byName.get(match[1]!);
        return snippet
          ? `${snippet.doc}:${snippet.line + Number(match[2]) - 1}: ${match[3]} ${match[4]}`
          : line;
      });
    expect(problems, `snippets in ${relative(root, out)}`).toEqual([]);
  });
});

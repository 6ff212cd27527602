import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The install path of issue #19: `npm pack` makes a tarball that a fresh app, in a directory
// outside the repository, installs and uses: every subpath's types, the `keyward` bin, the
// prebuilt browser script, and the README's Express snippet running against it.
const run = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
const bin = (name: string) => join(root, "node_modules", ".bin", name);
const versionOf = (name: string) =>
  (
    JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as {
      version: string;
    }
  ).version;

/** The README's "Use it" snippet, verbatim. */
function readmeSnippet(): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Use it"));
  const snippet = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!snippet?.includes('from "keyward"')) throw new Error("README has no Express snippet");
  return snippet;
}

let scratch: string;
let app: string;
let tarball: string;
let packed: string[];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "keyward-pack-"));
  app = join(scratch, "app");
  mkdirSync(app);
  // `npm pack` runs `prepare` (the build), as it does when a git URL is installed.
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", scratch], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  const [result] = JSON.parse(stdout.slice(stdout.indexOf("["))) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = join(scratch, result!.filename);
  packed = result!.files.map((file) => file.path);

  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "scratch-app", private: true, type: "module" }),
  );
  // Install scripts are skipped: better-sqlite3 would compile itself for minutes where its
  // prebuilt binaries cannot be downloaded. The same version is asked for, and the repository's
  // compiled binary of it is copied in below; everything else is what `npm install` puts there.
  const sqlite = versionOf("better-sqlite3");
  await run(
    "npm",
    [
      "install",
      tarball,
      `better-sqlite3@${sqlite}`,
      `express@${versionOf("express")}`,
      `fastify@${versionOf("fastify")}`,
      `@types/express@${versionOf("@types/express")}`,
      `@types/node@${versionOf("@types/node")}`,
      "--prefer-offline",
      "--ignore-scripts",
      "--no-audit",
      "--no-fund",
    ],
    { cwd: app, maxBuffer: 64 * 1024 * 1024 },
  );
  const release = join("node_modules", "better-sqlite3", "build", "Release");
  mkdirSync(join(app, release), { recursive: true });
  copyFileSync(
    join(root, release, "better_sqlite3.node"),
    join(app, release, "better_sqlite3.node"),
  );
}, 600_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("holds the build, the bin and the prebuilt browser script, and no sources", () => {
    for (const file of [
      "package.json",
      "README.md",
      "bin/keyward.js",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/node.js",
      "dist/fastify.js",
      "dist/testing/index.js",
      "dist/browser/index.js",
      "dist/pages.js",
      "dist/pages.d.ts",
      "dist/import.js",
      "dist/import.d.ts",
      "dist/cli/main.js",
      "dist/browser/keyward.js",
      "dist/browser/keyward.css",
    ]) {
      expect(packed, file).toContain(file);
    }
    expect(packed.filter((file) => /^(src|test|scripts|bench|examples)\//.test(file))).toEqual([]);
    expect(packed).not.toContain("dist/.tsbuildinfo");
  });

  it("passes publint and arethetypeswrong (ESM only)", { timeout: 300_000 }, async () => {
    const lint = await run(bin("publint"), ["run", tarball, "--strict"], { cwd: scratch });
    expect(lint.stdout).toContain("All good!");
    // Exits non-zero on any problem; CommonJS and node10 resolution do not apply to an ESM package.
    await run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "ascii"], {
      cwd: scratch,
      maxBuffer: 16 * 1024 * 1024,
    });
  });

  it("type-checks an app importing every subpath, and the README's snippet", {
    timeout: 300_000,
  }, async () => {
    writeFileSync(
      join(app, "imports.ts"),
      [
        'import { createKeyward, type Keyward, KeywardError, WebauthnUtil } from "keyward";',
        'import { toNodeHandler } from "keyward/node";',
        'import { keywardPlugin, keywardRequire } from "keyward/fastify";',
        'import { ManualClock, SoftwareAuthenticator } from "keyward/testing";',
        'import { signIn, type SessionInfo } from "keyward/browser";',
        'import { html, type PageProps } from "keyward/pages";',
        'import { readFlaskSecurity } from "keyward/import";',
        "",
        "export const login = (p: PageProps['login']) => p.layout({ page: p, title: 'Hi', body: html`<p>Hi</p>` });",
        "export const used = [createKeyward, KeywardError, WebauthnUtil, toNodeHandler, keywardPlugin, keywardRequire, ManualClock, SoftwareAuthenticator, signIn, readFlaskSecurity];",
        "export type Used = [Keyward, SessionInfo];",
        "",
      ].join("\n"),
    );
    writeFileSync(join(app, "snippet.ts"), `${readmeSnippet()}\nexport {};\n`);
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          lib: ["ES2023", "DOM"],
          strict: true,
          noEmit: true,
          types: ["node"],
        },
        files: ["imports.ts", "snippet.ts"],
      }),
    );
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const check = await run(process.execPath, [tsc, "-p", app], { cwd: app }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout || String(error) }),
    );
    expect(check.stdout).toBe("");
  });

  it("installs the keyward bin, which runs the build", async () => {
    const help = await run(join(app, "node_modules", ".bin", "keyward"), ["--help"], { cwd: app });
    expect(help.stdout).toContain("Usage: keyward <command>");
  });

  describe("the README's Express snippet, run against the installed package", () => {
    let server: ChildProcess;
    let base: string;

    beforeAll(async () => {
      // The snippet as printed, plus a listener so the test can call it.
      writeFileSync(
        join(app, "server.ts"),
        `${readmeSnippet()}\nconst listening = app.listen(0, "127.0.0.1", () => {\n  const address = listening.address();\n  console.log(\`LISTENING \${typeof address === "object" ? address?.port : address}\`);\n});\n`,
      );
      server = spawn(
        process.execPath,
        ["--import", join(root, "node_modules/tsx/dist/loader.mjs"), "server.ts"],
        {
          cwd: app,
          env: { ...process.env, KEYWARD_SECRET: randomBytes(32).toString("base64url") },
        },
      );
      let output = "";
      const port = await new Promise<string>((resolve, reject) => {
        server.stdout!.on("data", (chunk) => {
          output += chunk;
          const found = /LISTENING (\d+)/.exec(output);
          if (found) resolve(found[1]!);
        });
        server.stderr!.on("data", (chunk) => {
          output += chunk;
        });
        server.on("exit", (code) => reject(new Error(`server exited (${code}): ${output}`)));
      });
      base = `http://127.0.0.1:${port}`;
    }, 180_000);

    afterAll(async () => {
      if (!server || server.exitCode !== null) return;
      const exited = new Promise((resolve) => server.on("exit", resolve));
      server.kill();
      await exited;
    });

    it("answers /auth/health", async () => {
      const response = await fetch(`${base}/auth/health`);
      expect(response.status).toBe(200);
    });

    it("starts a passkey sign-in for the configured RP", async () => {
      const response = await fetch(`${base}/auth/wan-signin`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://example.com" },
        body: "{}",
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { options: { rpId: string; challenge: string } };
      expect(body.options.rpId).toBe("example.com");
      expect(body.options.challenge).toMatch(/^[\w-]{43}$/);
    });

    it("guards the app's route with auth.require", async () => {
      const response = await fetch(`${base}/account`, { headers: { accept: "application/json" } });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    });

    it("serves the prebuilt browser script", async () => {
      const response = await fetch(`${base}/auth/static/keyward.js`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("javascript");
      expect((await response.text()).length).toBeGreaterThan(1000);
    });
  });
});

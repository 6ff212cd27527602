import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/run.js";
import { systemClock } from "../../src/core/clock.js";
import { openKyselyStore } from "../../src/store/kysely/index.js";
import { TEST_SECRET } from "../helpers/harness.js";

// `keyward import` and `keyward users create --user-handle`, in this process, on a SQLite file.
const tmp = mkdtempSync(join(tmpdir(), "keyward-cli-import-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const database = `sqlite:${join(tmp, "keyward.db")}`;
const hashes = JSON.parse(
  readFileSync(new URL("../fixtures/import/password-hashes.json", import.meta.url), "utf8"),
) as { flaskSecurity: { passwordSalt: string; hashes: Array<{ scheme: string; hash: string }> } };

async function keyward(args: string[], env: Record<string, string> = {}, on = database) {
  const out = { stdout: "", stderr: "" };
  const code = await run([...args, "--database", on], {
    env,
    stdout: (text: string) => {
      out.stdout += text;
    },
    stderr: (text: string) => {
      out.stderr += text;
    },
    readStdin: async () => "",
  });
  return { code, ...out };
}

describe("keyward import", () => {
  const file = join(tmp, "users.json");
  writeFileSync(
    file,
    JSON.stringify({
      format: "keyward-import",
      version: 1,
      source: "flask-export",
      users: [
        {
          email: "imported@example.com",
          passwordHash: hashes.flaskSecurity.hashes[0]!.hash,
          webauthnUserHandle: Buffer.from("a-flask-handle", "utf8").toString("base64url"),
        },
      ],
    }),
  );

  it("dry-runs, imports, and changes nothing the second time", async () => {
    const env = { KEYWARD_SECRET: TEST_SECRET, FS_SALT: hashes.flaskSecurity.passwordSalt };
    const args = [
      "import",
      file,
      "--json",
      "--password-salt-env",
      "FS_SALT",
      "--normalize",
      "NFKD",
    ];
    const dry = await keyward([...args, "--dry-run"], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, users: { imported: 1 } });
    const first = await keyward(args, env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ dryRun: false, users: { imported: 1 } });
    const second = await keyward(args, env);
    expect(JSON.parse(second.stdout)).toMatchObject({ users: { imported: 0, unchanged: 1 } });

    const store = await openKyselyStore(database, { clock: systemClock, migrate: false });
    try {
      const user = await store.users.byEmail("imported@example.com");
      expect(user?.webauthnUserHandle).toBe(Buffer.from("a-flask-handle").toString("base64url"));
      // The salt is sealed, not stored as given.
      expect(user?.passwordHash).toMatch(/^\$keyward-import\$norm=NFKD,fs-hmac=v1\./);
      expect(user?.passwordHash).not.toContain(hashes.flaskSecurity.passwordSalt);
    } finally {
      await store.close();
    }
  });

  it("refuses a file that is not JSON or not an import, before opening the database", async () => {
    const untouched = join(tmp, "untouched.db");
    const refuse = async (name: string, text: string) => {
      const path = join(tmp, name);
      writeFileSync(path, text);
      const out = await keyward(["import", path], {}, `sqlite:${untouched}`);
      expect(out.code).toBe(1);
      expect(out.stdout).toBe("");
      return out.stderr;
    };
    expect(await refuse("broken.json", "{users")).toMatch(/^keyward: .*broken\.json is not JSON: /);
    expect(await refuse("other.json", JSON.stringify({ users: [] }))).toBe(
      'keyward: Not a Keyward import file: format: Invalid input: expected "keyward-import"; version: Invalid input: expected 1\n',
    );
    expect(existsSync(untouched)).toBe(false);
  });

  it("refuses a pre-hash salt without the app's secret, and an unset variable", async () => {
    const noSecret = await keyward(["import", file, "--password-salt-env", "FS_SALT"], {
      FS_SALT: "x",
    });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain("secret");
    const unset = await keyward(["import", file, "--password-salt-env", "NOPE"], {});
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain("NOPE is not set");
  });

  it("users create takes a user handle, and refuses a malformed or taken one", async () => {
    const handle = Buffer.from("handle-from-elsewhere").toString("base64url");
    const created = await keyward([
      "users",
      "create",
      "--email",
      "handled@example.com",
      "--password",
      "correct horse battery",
      "--user-handle",
      handle,
      "--json",
    ]);
    expect(created.code, created.stderr).toBe(0);
    const store = await openKyselyStore(database, { clock: systemClock, migrate: false });
    try {
      expect((await store.users.byEmail("handled@example.com"))?.webauthnUserHandle).toBe(handle);
    } finally {
      await store.close();
    }
    for (const bad of [handle, "not base64url!", Buffer.alloc(65).toString("base64url")]) {
      const refused = await keyward([
        "users",
        "create",
        "--email",
        "other@example.com",
        "--password",
        "correct horse battery",
        "--user-handle",
        bad,
      ]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/user handle/);
    }
  });
});

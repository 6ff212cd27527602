import { spawn } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../src/cli/commands.js";
import { commandHelp, run } from "../../src/cli/run.js";
import { systemClock } from "../../src/core/clock.js";
import { openKyselyStore } from "../../src/store/kysely/index.js";
import type { Store } from "../../src/store/store.js";
import { type DatabaseTarget, databaseTargets } from "../helpers/databases.js";

const root = join(import.meta.dirname, "..", "..");
const YUBIKEY_5 = "cb69481e-8ff7-4039-93ec-0a2729a154a8";

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source as a child process, as `keyward` would run. */
function cli(args: string[], stdin?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      cwd: root,
      env: { ...process.env, KEYWARD_DATABASE: undefined },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

/** The CLI in this process, with captured output: for what needs no database of its own. */
function inProcess() {
  const out = { stdout: "", stderr: "" };
  const io = {
    env: {},
    stdout: (text: string) => {
      out.stdout += text;
    },
    stderr: (text: string) => {
      out.stderr += text;
    },
    readStdin: async () => "",
  };
  return { out, io };
}

function json<T = Record<string, unknown>>(text: string): T {
  return JSON.parse(text) as T;
}

const targets = await databaseTargets();
const tmp = mkdtempSync(join(tmpdir(), "keyward-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A file database for SQLite (the CLI runs in another process), a private schema for PostgreSQL. */
function databaseFor(target: DatabaseTarget): string {
  return target.name === "sqlite" ? `sqlite:${join(tmp, `cli-${Date.now()}.db`)}` : target.url();
}

// Each step spawns the CLI (tsx compiles it): seconds apiece on a busy machine.
describe.each(targets)("keyward CLI on $name", { timeout: 120_000 }, (target) => {
  const url = databaseFor(target);
  const db = ["--database", url];
  let store: Store;

  beforeAll(async () => {
    const migrated = await cli(["migrate", "--json", ...db]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(json<{ applied: string[] }>(migrated.stdout).applied).toContain("0001_core");
    store = await openKyselyStore(url, { clock: systemClock, migrate: false });
  });
  afterAll(async () => {
    await store?.close();
    await target.drop(url);
  });

  it("creates and lists users, refusing a duplicate with exit 1", async () => {
    const created = await cli(
      [
        "users",
        "create",
        "--email",
        "Ann@Example.com",
        "--username",
        "ann",
        "--password-stdin",
        "--json",
        ...db,
      ],
      "correct horse battery\n",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(json(created.stdout)).toMatchObject({
      user: { email: "ann@example.com", username: "ann", active: true, hasPassword: true },
    });

    const again = await cli([
      "users",
      "create",
      "--email",
      "ann@example.com",
      "--password",
      "other password",
      "--json",
      ...db,
    ]);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe("");
    expect(json(again.stderr)).toEqual({
      error: { code: "EMAIL_TAKEN", message: "An account with that email already exists." },
    });

    const listed = await cli(["users", "list", "--json", ...db]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(json<{ users: unknown[] }>(listed.stdout).users).toEqual([
      expect.objectContaining({ email: "ann@example.com", active: true }),
    ]);
    const events = await store.events.list({ type: "user.registered" });
    expect(events).toHaveLength(1);
  });

  it("lists a user's keys with their authenticator and deletes one by name", async () => {
    const user = (await store.users.byEmail("ann@example.com"))!;
    for (const [name, usage] of [
      ["Desk key", "secondary"],
      ["Phone", "first"],
    ] as const) {
      await store.credentials.create({
        userId: user.id,
        credentialId: `cred-${name.replace(" ", "-")}`,
        publicKey: "AQID",
        signCount: 0,
        transports: ["usb"],
        backupEligible: false,
        backupState: false,
        deviceType: "singleDevice",
        aaguid: YUBIKEY_5,
        attestationFormat: "none",
        name,
        usage,
      });
    }
    const listed = await cli(["keys", "list", "ann", "--json", ...db]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(json<{ keys: unknown[] }>(listed.stdout).keys).toEqual([
      expect.objectContaining({
        name: "Desk key",
        usage: "secondary",
        authenticatorName: "YubiKey 5 Series",
      }),
      expect.objectContaining({ name: "Phone", usage: "first" }),
    ]);

    const deleted = await cli(["keys", "delete", "ann@example.com", "--name", "Phone", ...db]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe('deleted key "Phone" of ann@example.com\n');
    expect((await store.credentials.listForUser(user.id)).map((k) => k.name)).toEqual(["Desk key"]);
    expect(await store.events.list({ userId: user.id, type: "webauthn.deleted" })).toHaveLength(1);
  });

  it("resets two-factor settings and recovery codes but keeps keys", async () => {
    const user = (await store.users.byEmail("ann@example.com"))!;
    await store.secondFactors.change(user.id, {
      primaryMethod: "totp",
      totpSecret: "encrypted-secret",
      totpLastStep: 1234,
      phone: "+15555550100",
    });
    await store.recoveryCodes.replace(user.id, ["hash-1", "hash-2"]);
    const before = (await store.secondFactors.get(user.id))!;

    const reset = await cli(["two-factor", "reset", user.id, "--json", ...db]);
    expect(reset.code, reset.stderr).toBe(0);
    expect(json(reset.stdout)).toMatchObject({
      cleared: ["totp", "sms"],
      recoveryCodesDeleted: 2,
      secondaryKeys: 1,
    });
    // The user still has a secondary key: the CLI says sign-in will still ask for it.
    expect(reset.stderr).toMatch(/"warning":".*still has 1 secondary key/);

    const after = (await store.secondFactors.get(user.id))!;
    expect(after).toMatchObject({
      primaryMethod: null,
      totpSecret: null,
      totpLastStep: null,
      phone: null,
      emailEnabled: false,
    });
    expect(after.revision).toBeGreaterThan(before.revision);
    expect(await store.recoveryCodes.countUnused(user.id)).toBe(0);
    expect(await store.credentials.listForUser(user.id)).toHaveLength(1);
    const [event] = await store.events.list({ userId: user.id, type: "two-factor.reset" });
    expect(event?.detail).toEqual({
      by: "cli",
      methods: ["totp", "sms"],
      recoveryCodesDeleted: 2,
      sessionsRevoked: 0,
    });
  });

  it("deactivates a user, ending their sessions, and cleans up what expired", async () => {
    const user = (await store.users.byEmail("ann@example.com"))!;
    const now = Date.now();
    const session = {
      userId: user.id,
      amr: ["pwd" as const],
      aal: 1 as const,
      uv: false,
      ip: null,
      userAgent: null,
    };
    await store.sessions.create({ ...session, idHash: "live-session", expiresAt: now + 3_600_000 });
    const other = await store.users.create({
      email: "old@example.com",
      username: null,
      passwordHash: null,
      webauthnUserHandle: "handle-old",
    });
    await store.sessions.create({
      ...session,
      userId: other.id,
      idHash: "expired-session",
      expiresAt: now - 1000,
    });
    await store.ceremonies.create({
      idHash: "expired-ceremony",
      kind: "signin",
      userId: null,
      sessionId: null,
      challenge: "c",
      usage: null,
      name: null,
      data: { usages: ["first"], userVerification: "preferred", pendingHash: null },
      expiresAt: now - 1000,
    });

    const deactivated = await cli(["users", "deactivate", "ann@example.com", ...db]);
    expect(deactivated.code, deactivated.stderr).toBe(0);
    expect(deactivated.stdout).toBe("deactivated ann@example.com; ended 1 session(s)\n");
    expect((await store.users.byId(user.id))?.active).toBe(false);
    expect(await store.sessions.byIdHash("live-session")).toBeUndefined();

    const cleaned = await cli(["cleanup", "--json", ...db]);
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(json(cleaned.stdout)).toMatchObject({ deleted: { ceremonies: 1, sessions: 1 } });
    expect(await store.sessions.byIdHash("expired-session")).toBeUndefined();

    const events = await cli(["events", "--user", "ann", "--since", "1h", "--json", ...db]);
    expect(events.code, events.stderr).toBe(0);
    expect(
      json<{ events: Array<{ type: string }> }>(events.stdout).events.map((e) => e.type),
    ).toEqual(["user.deactivated", "two-factor.reset", "webauthn.deleted", "user.registered"]);
  });

  it("sets a password, then resets access and prints the single-use link", async () => {
    const user = (await store.users.byEmail("ann@example.com"))!;
    const liveSession = (idHash: string) =>
      store.sessions.create({
        userId: user.id,
        amr: ["pwd"],
        aal: 1,
        uv: false,
        ip: null,
        userAgent: null,
        idHash,
        expiresAt: Date.now() + 3_600_000,
      });
    await liveSession("before-set-password");
    const short = await cli([
      "users",
      "set-password",
      "ann",
      "--password",
      "short",
      "--json",
      ...db,
    ]);
    expect(short.code).toBe(1);
    expect(json<{ error: { code: string } }>(short.stderr).error.code).toBe("PASSWORD_TOO_SHORT");
    const hashBefore = (await store.users.byId(user.id))?.passwordHash;

    const set = await cli(
      ["users", "set-password", "ann", "--password-stdin", "--json", ...db],
      "an administrator's passphrase\n",
    );
    expect(set.code, set.stderr).toBe(0);
    expect(json(set.stdout)).toMatchObject({ sessionsRevoked: 1 });
    expect(await store.sessions.byIdHash("before-set-password")).toBeUndefined();
    const hashAfter = (await store.users.byId(user.id))?.passwordHash;
    expect(hashAfter).toMatch(/^\$argon2id\$/);
    expect(hashAfter).not.toBe(hashBefore);

    await liveSession("before-reset-access");
    const keysBefore = (await store.credentials.listForUser(user.id)).length;
    const reset = await cli(
      ["users", "reset-access", "ann@example.com", "--json", "--database", url],
      undefined,
    );
    expect(reset.code, reset.stderr).toBe(0);
    const body = json<{
      keysRemoved: number;
      passwordRemoved: boolean;
      sessionsRevoked: number;
      link: { purpose: string; url: string };
    }>(reset.stdout);
    expect(body).toMatchObject({
      keysRemoved: keysBefore,
      passwordRemoved: true,
      sessionsRevoked: 1,
    });
    expect(body.link.purpose).toBe("reset-password");
    const token = new URL(body.link.url).searchParams.get("token");
    expect(token).toBeTruthy();
    expect(new URL(body.link.url).pathname.endsWith("/reset-password")).toBe(true);
    const after = (await store.users.byId(user.id))!;
    expect(after.passwordHash).toBeNull();
    expect(await store.credentials.listForUser(user.id)).toEqual([]);
    expect(await store.sessions.byIdHash("before-reset-access")).toBeUndefined();
    const [event] = await store.events.list({ userId: user.id, type: "account.access-reset" });
    expect(event?.detail).toMatchObject({
      by: "cli",
      keysRemoved: keysBefore,
      link: "reset-password",
    });
  });
});

describe("keyward CLI usage", () => {
  it("exits 2 on a command line it cannot run, 1 on a user it cannot find", async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no command given/);

    const { out, io } = inProcess();
    expect(await run(["users", "list", "--colour"], io)).toBe(2);
    expect(out.stderr).toMatch(/Unknown option '--colour'[\s\S]*keyward users list --help/);
    out.stderr = "";
    expect(
      await run(["keys", "list", "nobody@example.com", "--database", "sqlite::memory:"], io),
    ).toBe(1);
    expect(out.stderr).toBe('keyward: No user "nobody@example.com".\n');
  });

  it("has --help for every command, and refuses malformed command lines with exit 2", async () => {
    for (const command of commands) {
      const { out, io } = inProcess();
      expect(await run([...command.name.split(" "), "--help"], io)).toBe(0);
      expect(out.stdout).toBe(`${commandHelp(command)}\n`);
      expect(out.stdout).toMatch(new RegExp(`^Usage: keyward ${command.name}`));
      expect(out.stdout).toContain("--json");
    }
    // Refused before the database is opened: nothing is created at its path.
    const untouched = join(tmp, "untouched.sqlite");
    const withoutTheirArguments = commands
      .filter((command) => command.args?.some((arg) => !arg.optional))
      .map((command) => command.name.split(" "));
    for (const argv of [
      ...withoutTheirArguments,
      ["users", "deactivate", "ann", "bob"],
      ["migrate", "now"],
      ["keys", "delete", "ann"],
      ["users", "list", "--limit", "many"],
      ["events", "--since", "yesterday-ish"],
      ["events", "--limit", "all"],
      ["users", "lock", "ann", "--for", "a while"],
      ["users", "create", "--email", "a@example.com"],
      ["users", "frobnicate"],
      ["serve", "--port", "99999"],
    ]) {
      const { out, io } = inProcess();
      expect(await run([...argv, "--database", `sqlite:${untouched}`], io), argv.join(" ")).toBe(2);
      expect(out.stdout).toBe("");
      expect(out.stderr).toMatch(/^keyward: /);
      expect(existsSync(untouched), argv.join(" ")).toBe(false);
    }
    const { out, io } = inProcess();
    expect(await run(["--help"], io)).toBe(0);
    for (const command of commands) expect(out.stdout).toContain(command.name);
  });

  it("serves Keyward until SIGTERM, then exits 0", async () => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli/main.ts",
        "serve",
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        "--database",
        "sqlite::memory:",
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          KEYWARD_DATABASE: undefined,
          KEYWARD_SECRET: "cli-test-secret-0123456789-abcdefghijklmnop",
        },
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const line = await new Promise<string>((resolve, reject) => {
      let stdout = "";
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        if (stdout.includes("\n")) resolve(stdout);
      });
      child.on("close", () => reject(new Error(`serve exited early: ${stderr}`)));
    });
    const port = /127\.0\.0\.1:(\d+)/.exec(line)?.[1];
    expect(port, line).toBeDefined();
    try {
      const wellKnown = await fetch(`http://127.0.0.1:${port}/.well-known/webauthn`);
      expect(await wellKnown.json()).toEqual({ origins: [`http://localhost:${port}`] });
      const health = await fetch(`http://127.0.0.1:${port}/auth/health`);
      expect(health.status).toBe(200);
      // Idle connections outlive a load balancer's 60 s idle timeout (http.keepAliveTimeout).
      expect(health.headers.get("keep-alive")).toBe("timeout=65");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited, stderr).toBe(0);
    expect(stderr).not.toMatch(/random secret/);
  });
});

describe("the keyward bin (npx keyward)", () => {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    bin: { keyward: string };
    scripts: Record<string, string>;
  };

  it("runs from source in a checkout that was never built (the README's quick start)", async () => {
    // A checkout as `npm ci` leaves it when no build ran: sources and dependencies, no dist/.
    const checkout = join(tmp, "checkout");
    mkdirSync(join(checkout, "bin"), { recursive: true });
    copyFileSync(join(root, manifest.bin.keyward), join(checkout, manifest.bin.keyward));
    copyFileSync(join(root, "package.json"), join(checkout, "package.json"));
    for (const linked of ["src", "node_modules", "tsconfig.json"]) {
      symlinkSync(join(root, linked), join(checkout, linked));
    }
    expect(existsSync(join(checkout, "dist"))).toBe(false);

    const help = await new Promise<CliResult>((resolve, reject) => {
      const child = spawn(process.execPath, [join(checkout, manifest.bin.keyward), "--help"], {
        cwd: checkout,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain("Usage: keyward <command>");
  });

  it("is built on install from a git URL (prepare) and in the packed tarball", () => {
    expect(manifest.scripts.prepare).toBe("npm run build");
    // The packed bin runs dist/ (test/integration/package.test.ts runs it from a tarball).
    expect(readFileSync(join(root, manifest.bin.keyward), "utf8")).toContain("../dist/cli/main.js");
  });
});

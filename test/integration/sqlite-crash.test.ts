import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { hashToken } from "../../src/core/ids.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { registerKey, signUp } from "../helpers/ceremonies.js";
import { TestClient } from "../helpers/harness.js";

// A Keyward process on a SQLite file, killed (SIGKILL) while sign-ins are in flight: every
// sign-in it answered was committed first (its writes commit in the writer thread, and the
// answer waits for that commit), and the file opens sound.
const ORIGIN = "http://localhost:3000";
const dir = mkdtempSync(join(tmpdir(), "keyward-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startInstance(database: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/server-process.ts"], {
    env: {
      ...process.env,
      KEYWARD_DATABASE: database,
      KEYWARD_RATE_LIMITS_CEREMONY_STARTS_PER_IP: "100000",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      const match = /READY (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.on("exit", (code) => reject(new Error(`instance exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

describe("SQLite file: a process killed under load", () => {
  it("keeps every sign-in it answered, in a sound database file", async () => {
    const path = join(dir, "crash.db");
    // Each commit flushes the disk, so commits last long enough for the kill to land inside
    // one: a sign-in answered before its commit would show below as lost.
    const instance = await startInstance(`sqlite:${path}?synchronous=full`);
    const exited = new Promise((resolve) => instance.child.once("exit", resolve));
    try {
      const owner = new TestClient(instance.url);
      await signUp(owner);
      // A synced passkey's counter (always zero): the sign-ins below run side by side.
      const authenticator = new SoftwareAuthenticator({ origin: ORIGIN, counter: "zero" });
      const registered = await registerKey(owner, authenticator, { name: "k", usage: "first" });
      expect(registered.status).toBe(201);

      const answered: string[] = [];
      let killed = false;
      const signInAgainAndAgain = async () => {
        while (!killed) {
          try {
            const client = new TestClient(instance.url);
            const start = await client.post<{ options: never; state: string }>("/wan-signin", {});
            const credential = await authenticator.authenticate(start.body.options);
            const done = await client.post("/wan-signin-response", {
              state: start.body.state,
              credential,
            });
            if (done.status !== 200) continue;
            answered.push(client.cookies.get("keyward_session")!);
            // Killed the moment an answer arrives: the batches behind it are mid-commit.
            if (answered.length === 100) {
              instance.child.kill("SIGKILL");
              killed = true;
            }
          } catch {
            // The process is gone: this sign-in was never answered.
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, signInAgainAndAgain));
      await exited;

      const db = new BetterSqlite3(path);
      try {
        expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
        const session = db.prepare("select 1 from sessions where id_hash = ?");
        const lost = answered.filter((token) => session.get(hashToken(token)) === undefined);
        expect(answered.length).toBeGreaterThanOrEqual(100);
        expect(lost).toEqual([]);
      } finally {
        db.close();
      }
    } finally {
      if (instance.child.exitCode === null && instance.child.signalCode === null) {
        instance.child.kill("SIGKILL");
      }
    }
  }, 120_000);
});

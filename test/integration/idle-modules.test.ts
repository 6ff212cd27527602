import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const child = fileURLToPath(new URL("../helpers/idle-modules-child.ts", import.meta.url));

// In a fresh process: this one has long loaded everything the other tests use.
describe("an idle server's memory", () => {
  it("holds no WebAuthn library, argon2, QR encoder or checkpoint and writer threads until a request needs one", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", child], {
      timeout: 60_000,
    });
    const report = JSON.parse(stdout.trim().split("\n").at(-1)!);
    expect(report.idle).toEqual({
      webauthnLibrary: false,
      argon2: false,
      qrcode: false,
      checkpointers: 0,
      writers: 0,
    });
    // Each one loads on first use, and the request that needed it succeeds.
    expect(report).toMatchObject({ signUp: 201, totpSetup: 200, qrSvg: true, signinStart: 200 });
    expect(report.challenge).toBe("string");
    expect(report.used).toEqual({
      webauthnLibrary: true,
      argon2: true,
      qrcode: true,
      checkpointers: 1,
      writers: 1,
    });
  });
});

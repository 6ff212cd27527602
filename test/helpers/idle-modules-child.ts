/**
 * Run in a fresh process by test/integration/idle-modules.test.ts: starts Keyward on a SQLite
 * file, reports which heavy packages it holds while idle, then asks for what loads each one
 * (a password sign-up, a passkey sign-in start) and reports again. Prints one JSON line.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createKeyward } from "../../src/index.js";
import { runningCheckpointers } from "../../src/store/kysely/checkpointer.js";
import { runningWriters } from "../../src/store/kysely/sqlite-writer.js";

// Packages each lazy import brings in, as the CommonJS loader records them (ESM-only ones, such
// as otplib, are not listed there; these are their CommonJS neighbours or dependencies).
const MARKERS = {
  webauthnLibrary: "/node_modules/@peculiar/asn1-schema/",
  argon2: "/node_modules/@node-rs/argon2/",
  qrcode: "/node_modules/qrcode/",
};

const cache = createRequire(import.meta.url).cache;
const held = () =>
  Object.fromEntries(
    Object.entries(MARKERS).map(([name, marker]) => [
      name,
      Object.keys(cache).some((file) => file.includes(marker)),
    ]),
  );

const dir = mkdtempSync(join(tmpdir(), "keyward-idle-"));
const origin = "http://localhost:3000";
const options = {
  rp: { id: "localhost", name: "Idle", origins: [origin] },
  database: `sqlite:${join(dir, "idle.sqlite")}`,
  secret: "idle-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
  env: {},
};
// The first start migrates (writes); the second is a restart on a migrated database.
await (await createKeyward(options)).close();
const auth = await createKeyward(options);
try {
  const idle = { ...held(), checkpointers: runningCheckpointers(), writers: runningWriters() };
  let cookie = "";
  const post = async (path: string, body: unknown) => {
    const response = await auth.fetch(
      new Request(`${origin}/auth${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin, cookie },
        body: JSON.stringify(body),
      }),
    );
    const set = response.headers.getSetCookie().map((line) => line.split(";")[0]);
    if (set.length > 0) cookie = [cookie, ...set].filter(Boolean).join("; ");
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const signUp = await post("/register", {
    email: "idle@example.com",
    password: "correct horse battery",
  });
  const totpSetup = await post("/tf-setup", { method: "totp" });
  const signinStart = await post("/wan-signin", {});
  const used = { ...held(), checkpointers: runningCheckpointers(), writers: runningWriters() };
  process.stdout.write(
    `${JSON.stringify({
      idle,
      used,
      signUp: signUp.status,
      totpSetup: totpSetup.status,
      qrSvg: String((totpSetup.body as { qrSvg?: unknown }).qrSvg).startsWith("<svg"),
      signinStart: signinStart.status,
      challenge: typeof (signinStart.body.options as { challenge?: unknown })?.challenge,
    })}\n`,
  );
} finally {
  await auth.close();
  rmSync(dir, { recursive: true, force: true });
}

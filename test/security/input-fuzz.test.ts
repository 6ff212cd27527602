import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { registerFirstKeyAndSignIn, signUp } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type TestClient, useHarness } from "../helpers/harness.js";

const targets = await databaseTargets();

// Every JSON endpoint that takes a body; bodies are fuzzed by fast-check.
const endpoints = [
  "/register",
  "/login",
  "/verify",
  "/wan-register",
  "/wan-register-response",
  "/wan-signin",
  "/wan-signin-response",
  "/wan-verify",
  "/wan-verify-response",
  "/wan-rename",
  "/wan-delete",
];

// Values shaped like the real bodies, with wrong types, huge and unicode strings mixed in.
const field = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.constantFrom(
    "",
    "\u0000",
    "a".repeat(5000),
    "🔑".repeat(200),
    "\u202eevil",
    "x@y",
    "first",
    "secondary",
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 4 }),
);
const body = fc.oneof(
  fc.record(
    {
      email: field,
      password: field,
      identity: field,
      name: field,
      newName: field,
      usage: field,
      state: field,
      id: field,
      credential: fc.oneof(
        field,
        fc.record({
          id: field,
          rawId: field,
          type: field,
          response: fc.dictionary(fc.string({ maxLength: 20 }), field),
        }),
      ),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 6 }),
);

describe.each(targets)("input fuzzing on $name", (target) => {
  const h = useHarness(target);
  let client: TestClient;
  let userId: string;
  beforeAll(async () => {
    client = h.client();
    await signUp(client);
    userId = (await client.get<{ user: { id: string } }>("/me")).body.user.id;
    // Signed in with the key (AAL2), the session may rename or delete keys, as it could before
    // factor changes asked for the highest AAL the account can reach.
    await registerFirstKeyAndSignIn(client, new SoftwareAuthenticator({ origin: h.origin }), {
      name: "Key",
    });
  });

  it("answers every fuzzed body with a 2xx or a 4xx carrying a stable code, and changes nothing", async () => {
    const before = await h.store.credentials.listForUser(userId);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), body, async (path, value) => {
        const result = await client.post(path, value);
        expect(result.status, `${path} ${JSON.stringify(value).slice(0, 200)}`).toBeLessThan(500);
        if (result.status >= 400) {
          expect((result.body as { error: { code: string } }).error.code).toMatch(/^[A-Z_]+$/);
        }
      }),
      { numRuns: target.name === "sqlite" ? 400 : 150 },
    );
    // The signed-in user and their key survived every fuzzed request.
    expect((await client.get("/me")).status).toBe(200);
    expect((await h.store.credentials.listForUser(userId)).map((c) => c.credentialId)).toEqual(
      before.map((c) => c.credentialId),
    );
  });

  it("refuses malformed, oversized and deeply nested bodies with 4xx", async () => {
    const raw = (text: string, type = "application/json") =>
      client.request("POST", "/login", text, { "content-type": type });
    expect((await raw("{not json")).body).toMatchObject({ error: { code: "MALFORMED_JSON" } });
    expect((await raw("x".repeat(1024 * 1024))).status).toBe(413);
    expect((await raw(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).status).toBe(413);
    expect((await raw(`${"[".repeat(20_000)}${"]".repeat(20_000)}`)).body).toMatchObject({
      error: { code: "INVALID_INPUT" },
    });
    expect((await raw("{}", "text/plain")).body).toMatchObject({
      error: { code: "UNSUPPORTED_MEDIA_TYPE" },
    });
    // PostgreSQL cannot store NUL in text: it is refused at the edge, in JSON and in forms.
    expect((await raw(JSON.stringify({ identity: "\u0000", password: "x" }))).body).toMatchObject({
      error: { code: "INVALID_INPUT" },
    });
    expect((await client.post("/wan-signin", { identity: "a\u0000b" })).body).toMatchObject({
      error: { code: "INVALID_INPUT" },
    });
    expect((await raw("identity=%00&password=x", "application/x-www-form-urlencoded")).status).toBe(
      400,
    );
    expect((await client.get("/no-such-route")).body).toMatchObject({
      error: { code: "NOT_FOUND" },
    });
  });

  it("normalises and bounds unicode key names", async () => {
    const composed = await client.post("/wan-rename", {
      name: "Key",
      newName: "Cafe\u0301 \u200b key",
    });
    expect(composed.body.credential).toMatchObject({ name: "Café key" });
    const long = await client.post("/wan-rename", { name: "Café key", newName: "🔑".repeat(65) });
    expect(long.body).toMatchObject({ error: { code: "WEBAUTHN_NAME_INVALID" } });
  });
});

import { describe, expect, it } from "vitest";
import { hashPassword } from "../../src/factors/password.js";
import {
  wanRegisterResponseBody,
  wanSigninResponseBody,
  wanVerifyResponseBody,
} from "../../src/http/routes/webauthn.js";
import type { KeywardConfig } from "../../src/index.js";
import { WebauthnUtil } from "../../src/webauthn/util.js";
import { expectRefused, startedSession } from "../helpers/attacks.js";
import { PASSWORD, uniqueEmail } from "../helpers/ceremonies.js";
import { type ClientFixture, clientFixtures } from "../helpers/client-fixtures.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, type TestClient, useHarness } from "../helpers/harness.js";

// What real client libraries send (recorded from a browser, see scripts/record-client-responses.ts)
// goes through Keyward's own HTTP flow: registration, then sign-in with the same key. The only
// change to Keyward is a WebauthnUtil whose next challenge is the recorded one.
const [sqlite] = await databaseTargets();

let nextChallenge: string | undefined;
class RecordedChallengeUtil extends WebauthnUtil {
  constructor(config: KeywardConfig) {
    super(config);
  }
  override generateChallenge(): string {
    if (nextChallenge === undefined) return super.generateChallenge();
    const challenge = nextChallenge;
    nextChallenge = undefined;
    return challenge;
  }
}

const ORIGIN = clientFixtures[0]!.fx.origin;

/** The recorded key's owner, with the recorded user handle and a password. */
async function owner(h: Harness, fx: ClientFixture) {
  const email = uniqueEmail(fx.client);
  const user = await h.store.users.create({
    email,
    username: null,
    passwordHash: await hashPassword(PASSWORD),
    webauthnUserHandle: fx.userId,
  });
  return { email, user };
}

async function registerRecorded(h: Harness, fx: ClientFixture, email: string) {
  const client = h.client();
  expect((await client.post("/login", { identity: email, password: PASSWORD })).status).toBe(200);
  nextChallenge = fx.registration.challenge;
  const start = await client.post<{ state: string; options: { challenge: string } }>(
    "/wan-register",
    { name: "recorded", usage: fx.usage },
  );
  expect(start.body.options.challenge).toBe(fx.registration.challenge);
  return client.post("/wan-register-response", {
    state: start.body.state,
    credential: fx.registration.response,
  });
}

/** Starts the recorded sign-in: usernameless, or as the second factor after the password. */
async function startRecordedSignIn(h: Harness, fx: ClientFixture, email: string) {
  const client = h.client();
  let secondFactorState: string | undefined;
  if (fx.usage === "secondary") {
    const login = await client.post<{ state: string }>("/login", {
      identity: email,
      password: PASSWORD,
    });
    expect(login.body).toMatchObject({ twoFactorRequired: true });
    secondFactorState = login.body.state;
  }
  nextChallenge = fx.authentication.challenge;
  const start = await client.post<{ state: string; options: { challenge: string } }>(
    "/wan-signin",
    secondFactorState ? { secondFactorState } : {},
  );
  expect(start.body.options.challenge).toBe(fx.authentication.challenge);
  return {
    finish: (credential: unknown) =>
      client.post("/wan-signin-response", {
        state: start.body.state,
        credential,
        ...(secondFactorState ? { secondFactorState } : {}),
      }),
  };
}

const withResponseField = (fx: ClientFixture, field: string, value: unknown) => ({
  ...fx.authentication.response,
  response: { ...fx.authentication.response.response, [field]: value },
});

describe("what client libraries send, through Keyward's HTTP flow", () => {
  const h = useHarness(sqlite!, {
    rp: { id: "localhost", name: "Client shapes", origins: [ORIGIN] },
    webauthnUtil: RecordedChallengeUtil,
  });

  it("has recordings of SimpleWebAuthn browser, Flask-Security's script and toJSON()", () => {
    const clients = new Set(clientFixtures.map(({ fx }) => fx.client));
    expect([...clients].sort()).toEqual(["flask-security", "simplewebauthn-browser", "tojson"]);
    // Flask-Security's shapes that used to be refused are among them.
    const flask = clientFixtures.filter(({ fx }) => fx.client === "flask-security");
    expect(flask.some(({ fx }) => fx.registration.response.response === undefined)).toBe(false);
    expect(
      flask.some(
        ({ fx }) =>
          (fx.registration.response.response as { transports: unknown }).transports === null,
      ),
    ).toBe(true);
    expect(flask.some(({ fx }) => fx.authentication.response.response.userHandle === "")).toBe(
      true,
    );
  });

  for (const { file, fx } of clientFixtures) {
    it(`registers and signs in with ${file}`, async () => {
      const { email, user } = await owner(h, fx);
      const registered = await registerRecorded(h, fx, email);
      expect(registered.status, JSON.stringify(registered.body)).toBe(201);
      const [key] = await h.store.credentials.listForUser(user.id);
      expect(key).toMatchObject({ credentialId: fx.registration.response.id, usage: fx.usage });
      // Transports are kept when the client said them, and empty (unknown) when it sent null.
      const sent = (fx.registration.response.response as { transports?: string[] | null })
        .transports;
      expect(key!.transports).toEqual(sent ?? []);

      // An absent user handle is still refused where it is required: a usernameless sign-in.
      if (!fx.authentication.named) {
        for (const absent of ["", null]) {
          const refused = await (await startRecordedSignIn(h, fx, email)).finish(
            withResponseField(fx, "userHandle", absent),
          );
          expectRefused(refused, "WEBAUTHN_USER_HANDLE_MISMATCH");
          expect(startedSession(refused)).toBe(false);
        }
        const [unused] = await h.store.credentials.listForUser(user.id);
        expect(unused!.lastUsedAt).toBeNull();
      }

      const signin = await startRecordedSignIn(h, fx, email);
      const done = await signin.finish(fx.authentication.response);
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.user).toMatchObject({ id: user.id });
      // A UV passkey on its own, or a password and a key: AAL2 either way.
      expect(done.body.session).toMatchObject({ aal: 2 });
      const [used] = await h.store.credentials.listForUser(user.id);
      expect(used!.lastUsedAt).not.toBeNull();
    });
  }
});

describe("authenticatorAttachment: null", () => {
  const h = useHarness(sqlite!, {
    rp: { id: "localhost", name: "Client shapes", origins: [ORIGIN] },
    webauthnUtil: RecordedChallengeUtil,
  });

  it("reads authenticatorAttachment: null as absent (SimpleWebAuthn browser before v8 sent it raw)", async () => {
    const { fx } = clientFixtures.find(
      ({ fx }) => fx.client === "simplewebauthn-browser" && !fx.authentication.named,
    )!;
    const { email, user } = await owner(h, fx);
    const nulled = {
      ...fx,
      registration: {
        ...fx.registration,
        response: { ...fx.registration.response, authenticatorAttachment: null },
      },
    };
    const registered = await registerRecorded(h, nulled, email);
    expect(registered.status).toBe(201);
    const signin = await startRecordedSignIn(h, fx, email);
    const done = await signin.finish({
      ...fx.authentication.response,
      authenticatorAttachment: null,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.user).toMatchObject({ id: user.id });
  });
});

describe("credential as a JSON string (Flask-Security's webauthn.js form-posts it so)", () => {
  const h = useHarness(sqlite!, {
    rp: { id: "localhost", name: "Client shapes", origins: [ORIGIN] },
    webauthnUtil: RecordedChallengeUtil,
  });
  const flask = clientFixtures.filter(({ fx }) => fx.client === "flask-security");

  /** A form post as a page's script makes it: the page's CSRF token, fields as text, JSON back. */
  async function formPost(client: TestClient, path: string, fields: Record<string, string>) {
    const page = await client.request<string>("GET", "/login", undefined, { accept: "text/html" });
    const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(page.body)![1]!;
    return client.request("POST", path, new URLSearchParams({ csrfToken, ...fields }).toString(), {
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
    });
  }

  for (const { file, fx } of flask) {
    it(`registers by form post and signs in by JSON with ${file}'s credential as a string`, async () => {
      const { email, user } = await owner(h, fx);
      const client = h.client();
      expect((await client.post("/login", { identity: email, password: PASSWORD })).status).toBe(
        200,
      );
      nextChallenge = fx.registration.challenge;
      const start = await client.post<{ state: string }>("/wan-register", {
        name: "recorded",
        usage: fx.usage,
      });
      // Not JSON: refused at the edge, and the state is not spent.
      for (const garbage of ["{not json", "", "undefined"]) {
        const refused = await formPost(client, "/wan-register-response", {
          state: start.body.state,
          credential: garbage,
        });
        expectRefused(refused, "INVALID_INPUT");
        expect(refused.status).toBe(400);
        expect(JSON.stringify(refused.body)).toContain("credential");
      }
      // JSON, but not a credential: the same validation as an object gets.
      const wrongShape = await formPost(client, "/wan-register-response", {
        state: start.body.state,
        credential: JSON.stringify({ ...fx.registration.response, type: "password" }),
      });
      expectRefused(wrongShape, "INVALID_INPUT");
      expect(JSON.stringify(wrongShape.body)).toContain("credential.type");
      expect(await h.store.credentials.listForUser(user.id)).toHaveLength(0);

      const registered = await formPost(client, "/wan-register-response", {
        state: start.body.state,
        credential: JSON.stringify(fx.registration.response),
      });
      expect(registered.status, JSON.stringify(registered.body)).toBe(201);
      const [key] = await h.store.credentials.listForUser(user.id);
      expect(key).toMatchObject({ credentialId: fx.registration.response.id, usage: fx.usage });

      const signin = await startRecordedSignIn(h, fx, email);
      const done = await signin.finish(JSON.stringify(fx.authentication.response));
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body).toMatchObject({ user: { id: user.id }, session: { aal: 2 } });
    });
  }

  it("reads the string the same way on every route that takes a credential", () => {
    const { fx } = flask[0]!;
    const asString = JSON.stringify(fx.authentication.response);
    for (const schema of [wanSigninResponseBody, wanVerifyResponseBody]) {
      const parsed = schema.parse({ state: "s", credential: asString });
      expect(parsed.credential).toEqual(
        schema.parse({ state: "s", credential: fx.authentication.response }).credential,
      );
      expect(schema.safeParse({ state: "s", credential: "{" }).success).toBe(false);
    }
    const registration = JSON.stringify(fx.registration.response);
    expect(
      wanRegisterResponseBody.parse({ state: "s", credential: registration }).credential,
    ).toEqual(
      wanRegisterResponseBody.parse({ state: "s", credential: fx.registration.response })
        .credential,
    );
  });
});

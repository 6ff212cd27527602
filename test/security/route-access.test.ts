import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { PASSWORD, registerKey, signInWithKey } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { enrolTotp, newUser } from "../helpers/two-factor.js";

const targets = await databaseTargets();

type ErrorSchema = {
  allOf?: { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } }[];
};
type Operation = {
  "x-keyward-access"?: string;
  responses: Record<string, { content: Record<string, { schema: ErrorSchema }> }>;
};
type OpenApiPaths = {
  paths: Record<string, Record<string, Operation | undefined> | undefined>;
};

/** The error codes the OpenAPI document lists for a route ("POST /path"), all statuses. */
function documentedCodes(paths: OpenApiPaths["paths"], prefix: string, key: string): string[] {
  const [method, path] = key.split(" ") as [string, string];
  const operation = paths[`${prefix}${path}`]?.[method.toLowerCase()];
  return Object.entries(operation?.responses ?? {})
    .filter(([status]) => Number(status) >= 400)
    .flatMap(([, response]) =>
      (response.content["application/json"]?.schema.allOf ?? []).flatMap(
        (part) => part.properties?.error?.properties?.code?.enum ?? [],
      ),
    );
}

/**
 * Who may call each JSON route. A new route fails this test until it is listed here, so its
 * access is a decision someone made, not a default. `factor-change`: adds, removes or changes
 * an authenticator or what controls recovery (DESIGN §6.11).
 */
const expectedAccess: Record<string, string> = {
  "POST /register": "public",
  "POST /login": "public",
  // Signing in with a code by email or SMS: a first factor, like /login.
  "POST /code-signin": "public",
  "POST /code-signin-validate": "public",
  "POST /logout": "public",
  "GET /me": "session",
  "POST /verify": "session",
  "GET /csrf": "public",
  "POST /wan-register": "factor-change",
  "POST /wan-upgrade": "factor-change",
  "POST /wan-register-response": "factor-change",
  "POST /wan-signin": "public",
  "POST /wan-signin-response": "public",
  "POST /wan-verify": "session",
  "POST /wan-verify-response": "session",
  "GET /wan-signal": "session",
  "GET /wan-credentials": "session",
  "POST /wan-rename": "factor-change",
  "POST /wan-delete": "factor-change",
  "POST /tf-setup": "factor-change",
  "POST /tf-setup-validate": "factor-change",
  "GET /tf-status": "session",
  "POST /tf-select": "public",
  "POST /tf-validate": "public",
  "POST /tf-remembered": "public",
  "POST /mf-recovery-codes": "factor-change",
  "POST /mf-recovery": "public",
  "POST /confirm-email": "public",
  "POST /confirm-email/resend": "public",
  "POST /reset-password": "public",
  "POST /reset-password/complete": "public",
  "POST /recover-account": "public",
  "POST /recover-account/complete": "public",
  "POST /change-password": "factor-change",
  "POST /change-email": "factor-change",
  // The change was authorised when it was requested (factor-change); the mailed token,
  // bound to that user and address, completes it.
  "POST /change-email/complete": "session",
  "GET /sessions": "session",
  "POST /sessions/revoke": "session",
  "POST /sign-out-everywhere": "session",
  "POST /tf-continue": "public",
  // Declared through the route table since the OpenAPI document is made from it (#17).
  "GET /health": "public",
  "GET /openapi.json": "public",
};

/** A well-formed body for every POST route, so that only access can refuse it. */
const exampleBodies: Record<string, Record<string, unknown>> = {
  "/register": { email: "someone-else@example.com", password: "another password 1" },
  "/login": { identity: "nobody@example.com", password: "wrong password" },
  "/code-signin": { identity: "nobody@example.com", channel: "email" },
  "/code-signin-validate": { state: "unknown-state", code: "123456" },
  "/logout": {},
  "/verify": { password: "wrong password" },
  "/wan-register": { name: "new key", usage: "first" },
  "/wan-upgrade": {},
  "/wan-register-response": {
    state: "unknown-state",
    credential: {
      id: "AAAA",
      rawId: "AAAA",
      type: "public-key",
      response: { clientDataJSON: "AAAA", attestationObject: "AAAA" },
      clientExtensionResults: {},
    },
  },
  "/wan-signin": {},
  "/wan-signin-response": {
    state: "unknown-state",
    credential: {
      id: "AAAA",
      rawId: "AAAA",
      type: "public-key",
      response: { clientDataJSON: "AAAA", authenticatorData: "AAAA", signature: "AAAA" },
      clientExtensionResults: {},
    },
  },
  "/wan-verify": {},
  "/wan-verify-response": {
    state: "unknown-state",
    credential: {
      id: "AAAA",
      rawId: "AAAA",
      type: "public-key",
      response: { clientDataJSON: "AAAA", authenticatorData: "AAAA", signature: "AAAA" },
      clientExtensionResults: {},
    },
  },
  "/wan-rename": { name: "2fa key", newName: "renamed" },
  "/wan-delete": { name: "2fa key" },
  "/tf-setup": { method: "disable" },
  "/tf-setup-validate": { state: "unknown-state", code: "123456" },
  "/tf-select": { state: "unknown-state", method: "totp" },
  "/tf-validate": { state: "unknown-state", method: "totp", code: "123456" },
  "/tf-remembered": { state: "unknown-state" },
  "/mf-recovery-codes": {},
  "/mf-recovery": { state: "unknown-state", code: "abcd-efgh" },
  "/confirm-email": { token: "unknown-token" },
  "/confirm-email/resend": {},
  "/reset-password": { email: "nobody@example.com" },
  "/reset-password/complete": { token: "unknown-token", password: "a new password 1" },
  "/recover-account": { email: "nobody@example.com" },
  "/recover-account/complete": { token: "unknown-token" },
  "/change-password": { currentPassword: PASSWORD, newPassword: "a new password 2" },
  "/change-email": { newEmail: "elsewhere@example.com" },
  "/change-email/complete": { token: "unknown-token" },
  "/sessions/revoke": { id: "unknown-session" },
  "/sign-out-everywhere": {},
  "/tf-continue": { state: "AAAAAAAAAAAAAAAAAAAAAAAA" },
};

/** Everything that decides how the account can be signed into or recovered. */
async function authenticators(h: Harness, userId: string) {
  const { store } = h;
  // The security epoch moves when sessions are ended (sign out everywhere): not a factor.
  const { securityEpoch: _epoch, ...user } = (await store.users.byId(userId))!;
  return {
    user,
    credentials: await store.credentials.listForUser(userId),
    secondFactors: await store.secondFactors.get(userId),
    recoveryCodes: await store.recoveryCodes.countUnused(userId),
  };
}

describe.each(targets)("route access on $name", (target) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(target);
  });
  afterAll(async () => {
    await h.close();
  });

  const declared = () => {
    const prefix = h.auth.config.prefix;
    return h.auth.api
      .routes()
      .filter((route) => route.path.startsWith(prefix))
      .map((route) => ({ ...route, key: `${route.method} ${route.path.slice(prefix.length)}` }));
  };

  it("declares who may call every JSON route, as the table above says", () => {
    const actual = Object.fromEntries(
      declared()
        .filter((route) => route.access !== undefined)
        .map((route) => [route.key, route.access]),
    );
    expect(actual).toEqual(expectedAccess);
  });

  it("lets exactly the routes that end a sign-in answer with a bearer token", () => {
    const signsIn = declared()
      .filter((route) => route.signsIn)
      .map((route) => route.key)
      .sort();
    expect(signsIn).toEqual([
      "POST /login",
      "POST /mf-recovery",
      "POST /recover-account/complete",
      "POST /register",
      "POST /reset-password/complete",
      "POST /tf-setup-validate",
      "POST /tf-validate",
      "POST /wan-register-response",
      "POST /wan-signin-response",
    ]);
  });

  it("documents every declared route, with its access, in the served OpenAPI document", async () => {
    const { paths } = (await h.client().get("/openapi.json")).body as unknown as OpenApiPaths;
    const prefix = h.auth.config.prefix;
    for (const route of declared()) {
      if (route.access === undefined || route.key === "POST /tf-continue") continue;
      const [method, path] = route.key.split(" ") as [string, string];
      const operation = paths[`${prefix}${path}`]?.[method.toLowerCase()];
      expect(operation?.["x-keyward-access"], route.key).toBe(route.access);
    }
  });

  it("answers no POST that is not declared", () => {
    const undeclared = declared().filter(
      (route) => route.method === "POST" && route.access === undefined,
    );
    expect(undeclared).toEqual([]);
  });

  it("changes no authenticator from an AAL1 session, on any route, unless its access allows it", async () => {
    const { client: first, userId, email } = await newUser(h);
    // AAL1 sessions made while the account had no second factor; they stay AAL1 after it.
    const spares = [];
    for (let i = 0; i < 4; i++) {
      const spare = h.client();
      expect((await spare.post("/login", { identity: email, password: PASSWORD })).status).toBe(
        200,
      );
      spares.push(spare);
    }
    const secondary = new SoftwareAuthenticator({ origin: h.origin });
    expect(
      (await registerKey(first, secondary, { name: "2fa key", usage: "secondary" })).status,
    ).toBe(201);
    // The owner at AAL2 adds the rest: a passkey, an authenticator app, recovery codes.
    const owner = h.client();
    const login = await owner.post<{ state: string }>("/login", {
      identity: email,
      password: PASSWORD,
    });
    expect(
      (await signInWithKey(owner, secondary, { secondFactorState: login.body.state })).status,
    ).toBe(200);
    const passkey = new SoftwareAuthenticator({ origin: h.origin });
    expect((await registerKey(owner, passkey, { name: "passkey", usage: "first" })).status).toBe(
      201,
    );
    await enrolTotp(h, owner);
    expect((await owner.post("/mf-recovery-codes")).status).toBe(200);

    const prefix = h.auth.config.prefix;
    const { paths } = (await h.client().get("/openapi.json")).body as unknown as OpenApiPaths;
    // Routes that end every session go last.
    const endsAll = new Set(["POST /sign-out-everywhere"]);
    const postRoutes = declared()
      .filter((route) => route.method === "POST")
      .sort((a, b) => Number(endsAll.has(a.key)) - Number(endsAll.has(b.key)));
    let aal1 = first;
    const signedInAsUser = async () =>
      (await aal1.get<{ user?: { id: string } }>("/me")).body.user?.id === userId;
    for (const route of postRoutes) {
      const path = route.key.slice("POST ".length);
      const body = exampleBodies[path];
      expect(body, `an example body for ${route.key} in this test`).toBeDefined();
      expect((await aal1.post("/verify", { password: PASSWORD })).status).toBe(200);
      expect((await aal1.get<{ session: { aal: number } }>("/me")).body.session.aal).toBe(1);
      const before = await authenticators(h, userId);
      const result = await aal1.post(path, body);
      if (result.status >= 400 && route.key !== "POST /tf-continue") {
        // A refusal carries one of the codes the route declares (and documents).
        const code = (result.body as { error?: { code?: string } }).error?.code;
        expect(
          documentedCodes(paths, prefix, route.key),
          `${route.key} answered ${code}`,
        ).toContain(code);
      }
      if (route.access === "factor-change") {
        expect(result.status, `${route.key}: ${JSON.stringify(result.body)}`).toBe(403);
        expect((result.body as { error: { code: string } }).error.code).toBe("AAL_REQUIRED");
      }
      expect(await authenticators(h, userId), route.key).toEqual(before);
      // A route that ended or replaced this session (logout, a new sign-up): take a spare.
      if (!(await signedInAsUser())) {
        const next = spares.pop();
        if (!next) break;
        aal1 = next;
      }
    }
  });
});

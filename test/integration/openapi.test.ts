import { readFileSync } from "node:fs";
import { validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docsConfig } from "../../scripts/docs-config.js";
import type { KeywardConfig } from "../../src/config/schema.js";
import { declaredRoutes } from "../../src/http/app.js";
import { openApiDocument as documentFor } from "../../src/http/openapi.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { registerFirstKeyAndSignIn, uniqueEmail } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import {
  type Harness,
  type HttpResult,
  startHarness,
  type TestClient,
} from "../helpers/harness.js";
import { Mailbox, tokenOf } from "../helpers/mailbox.js";
import { enrolTotp } from "../helpers/two-factor.js";

const [sqlite] = await databaseTargets();

/** The document as the routes declared for `config` make it. */
const openApiDocument = (config: KeywardConfig) => documentFor(config, declaredRoutes(config));

// POST routes that only serve the HTML pages' forms (documented in docs/pages.md).
const FORM_ONLY = new Set(["POST /auth/tf-continue"]);

describe("OpenAPI document", () => {
  let h: Harness;
  const box = new Mailbox();
  beforeAll(async () => {
    h = await startHarness(sqlite!, { mailer: box, accounts: { allowPasswordless: true } });
  });
  afterAll(async () => {
    await h.close();
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    const document = openApiDocument(h.auth.config);
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, JSON.stringify(result, null, 2)).toBe(true);
  });

  it("is served at {prefix}/openapi.json and checked in as docs/openapi.json", async () => {
    const served = await h.client().get("/openapi.json");
    expect(served.status).toBe(200);
    expect(served.body).toEqual(openApiDocument(h.auth.config));
    const checkedIn = JSON.parse(
      readFileSync(new URL("../../docs/openapi.json", import.meta.url), "utf8"),
    );
    expect(checkedIn, "run `npm run docs:openapi`").toEqual(openApiDocument(docsConfig()));
  });

  it("documents exactly the JSON routes the server answers", async () => {
    const { paths } = openApiDocument(h.auth.config) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = new Set(
      Object.entries(paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const served = new Set<string>();
    for (const route of h.auth.api.routes()) {
      if (!route.path.startsWith("/auth/") || route.path.includes("*") || route.path.includes(":"))
        continue;
      const key = `${route.method} ${route.path}`;
      if (FORM_ONLY.has(key)) continue;
      if (route.method === "GET") {
        // A GET route that answers anything but JSON (a page, a redirect, a script) is not API.
        const response = await h.auth.fetch(
          new Request(`${h.origin}${route.path}`, { redirect: "manual" }),
        );
        if (!(response.headers.get("content-type") ?? "").includes("application/json")) continue;
      }
      served.add(key);
    }
    expect(
      [...served].filter((k) => !documented.has(k)),
      "served but not documented",
    ).toEqual([]);
    expect(
      [...documented].filter((k) => !served.has(k)),
      "documented but not served",
    ).toEqual([]);
  });

  it("describes request bodies with the schemas that validate them", async () => {
    const document = openApiDocument(h.auth.config) as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<string, { schema: { properties?: Record<string, unknown> } }>;
            };
          }
        >
      >;
    };
    const login =
      document.paths["/auth/login"]!.post!.requestBody!.content["application/json"]!.schema;
    // `session` is what every sign-in route's JSON body may add (RouteRule.signsIn).
    expect(Object.keys(login.properties ?? {}).sort()).toEqual([
      "identity",
      "password",
      "remember",
      "session",
    ]);
    // A body the schema refuses is refused by the route with INVALID_INPUT.
    const refused = await h.client().post("/login", { identity: "x" });
    expect(refused.body).toMatchObject({
      error: { code: "INVALID_INPUT", details: { field: "password" } },
    });
  });

  it("answers with the bodies its routes declare, field for field", async () => {
    const routes = declaredRoutes(h.auth.config);
    /** Sends the request and holds the answer to the route's declared status and body. */
    const call = async (client: TestClient, method: "GET" | "POST", path: string, body = {}) => {
      const result: HttpResult<unknown> =
        method === "GET" ? await client.get(path) : await client.post(path, body);
      const route = routes.find((r) => r.method === method && r.path === path)!;
      expect(result.status, `${method} ${path}: ${JSON.stringify(result.body)}`).toBe(route.status);
      if (route.returns === "page") throw new Error(`${path} answers with a page`);
      const parsed = route.returns.safeParse(result.body);
      expect(
        parsed.error?.issues ?? [],
        `${method} ${path}: ${JSON.stringify(result.body)}`,
      ).toEqual([]);
      return result.body as Record<string, unknown>;
    };

    const client = h.client();
    const email = uniqueEmail("documented");
    const mark = box.mark();
    await call(client, "POST", "/register", { email, password: "correct horse battery" });
    const confirm = tokenOf(await box.next(email, "confirm-email", mark));
    await call(h.client(), "POST", "/confirm-email", { token: confirm });
    await call(client, "GET", "/me");
    await call(client, "GET", "/csrf");
    await call(client, "GET", "/health");
    await call(client, "POST", "/verify", { password: "correct horse battery" });
    const key = new SoftwareAuthenticator({ origin: h.origin });
    await registerFirstKeyAndSignIn(client, key, { name: "Phone" });
    await call(client, "GET", "/wan-credentials");
    await call(client, "GET", "/wan-signal");
    await call(client, "GET", "/sessions");
    await call(client, "GET", "/tf-status");
    await call(client, "POST", "/wan-rename", { name: "Phone", newName: "Laptop" });
    await enrolTotp(h, client);
    await call(client, "POST", "/mf-recovery-codes");
    await call(h.client(), "POST", "/login", {
      identity: email,
      password: "correct horse battery",
    });

    // A recovery session (a passkey-only account): the server sends `limited`, and the
    // declaration names it.
    const keysOnly = uniqueEmail("documented-keys");
    const signedUp = box.mark();
    const owner = h.client();
    await call(owner, "POST", "/register", { email: keysOnly });
    const confirmKeys = tokenOf(await box.next(keysOnly, "confirm-email", signedUp));
    await call(h.client(), "POST", "/confirm-email", { token: confirmKeys });
    await registerFirstKeyAndSignIn(owner, new SoftwareAuthenticator({ origin: h.origin }), {
      name: "Phone",
    });
    const asked = box.mark();
    await call(h.client(), "POST", "/recover-account", { email: keysOnly });
    const token = tokenOf(await box.next(keysOnly, "recover-account", asked));
    const lost = h.client();
    const recovered = await call(lost, "POST", "/recover-account/complete", { token });
    expect(recovered.session).toMatchObject({ limited: "recovery" });
    expect((await call(lost, "GET", "/me")).session).toMatchObject({ limited: "recovery" });

    const other = h.client();
    await call(other, "POST", "/login", { identity: email, password: "correct horse battery" });
    await call(client, "POST", "/sign-out-everywhere");
    await call(h.client(), "POST", "/logout");
  });
});

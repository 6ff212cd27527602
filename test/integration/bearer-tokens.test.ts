import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { keywardRequire } from "../../src/fastify.js";
import type { ActiveSession } from "../../src/index.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { bearer, expectToken, type Json, meWith, tokenLogin } from "../helpers/bearer.js";
import {
  PASSWORD,
  registerFirstKeyAndSignIn,
  registerKey,
  signUp,
  startKeySignin,
  uniqueEmail,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import { Mailbox, tokenOf } from "../helpers/mailbox.js";
import { enrolTotp, errorCode, newUser, secretOf, totpAt } from "../helpers/two-factor.js";

const targets = await databaseTargets();

describe.each(targets)("bearer tokens on $name", (target) => {
  const box = new Mailbox();
  const h = useHarness(target, {
    session: { bearer: true },
    mailer: box,
    accounts: { allowPasswordless: true },
    rateLimits: { accountMailsPerIp: 10_000 },
  });

  describe("every sign-in route answers with a token when asked", () => {
    it("password: a token, no cookie, and the token is a session for /me, /sessions and the API", async () => {
      const { email, userId } = await newUser(h);
      const app = h.client();
      const token = expectToken(await tokenLogin(app, email));
      const me = await meWith(h, token);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ user: { id: userId }, session: { aal: 1, amr: ["pwd"] } });
      // Listed with the browser's session (the sign-up's), and marked as the current one.
      const sessions = await h
        .client()
        .get<{ sessions: { current: boolean }[] }>("/sessions", bearer(token));
      expect(sessions.status).toBe(200);
      expect(sessions.body.sessions).toHaveLength(2);
      expect(sessions.body.sessions.filter((s) => s.current)).toHaveLength(1);
      const request = new Request("http://localhost/app", { headers: bearer(token) });
      expect((await h.auth.api.getSession(request))?.user.id).toBe(userId);
      expect((await h.auth.api.requireSession(request, { aal: 1 })).user.id).toBe(userId);
    });

    it("sign-up: the new account's session as a token", async () => {
      const result = await h
        .client()
        .post("/register", { email: uniqueEmail("token"), password: PASSWORD, session: "token" });
      const token = expectToken(result, 201);
      expect((await meWith(h, token)).status).toBe(200);
    });

    it("a passkey: an AAL2 token", async () => {
      const { client } = await newUser(h);
      const key = new SoftwareAuthenticator({ origin: h.origin });
      await registerFirstKeyAndSignIn(client, key, { name: "phone" });
      const app = h.client();
      const { options, state } = await startKeySignin(app);
      const credential = await key.authenticate(options);
      const result = await app.post("/wan-signin-response", {
        state,
        credential,
        session: "token",
      });
      const token = expectToken(result);
      expect((await meWith(h, token)).body).toMatchObject({ session: { aal: 2 } });
    });

    it("a second factor: a pending token continues the sign-in, then an AAL2 token", async () => {
      const { client, email } = await newUser(h);
      const { secret, recoveryCodes } = await enrolTotp(h, client);
      const app = h.client();
      const owed = await tokenLogin(app, email);
      expect(owed.status, JSON.stringify(owed.body)).toBe(200);
      expect(owed.body).toMatchObject({ twoFactorRequired: true, methods: expect.any(Array) });
      expect(owed.headers.getSetCookie()).toEqual([]);
      expect(owed.pendingToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const done = await app.post(
        "/tf-validate",
        { state: owed.state, method: "totp", code: await totpAt(secret, h.clock.now()) },
        bearer(owed.pendingToken!),
      );
      const token = expectToken(done);
      expect((await meWith(h, token)).body).toMatchObject({ session: { aal: 2 } });
      // The pending token was never a session.
      expect(errorCode(await h.client().get("/me", bearer(owed.pendingToken!)))).toBe(
        "BEARER_TOKEN_INVALID",
      );

      // A recovery code completes one the same way.
      const again = await tokenLogin(app, email);
      const recovered = await app.post(
        "/mf-recovery",
        { state: again.state, code: recoveryCodes[0] },
        bearer(again.pendingToken!),
      );
      expect((await meWith(h, expectToken(recovered))).body).toMatchObject({
        session: { aal: 2, amr: ["pwd", "rc"] },
      });
    });

    it("a second-factor key: the key's ceremony continues with the pending token", async () => {
      const { client, email } = await newUser(h);
      const key = new SoftwareAuthenticator({ origin: h.origin });
      expect((await registerKey(client, key, { name: "2fa", usage: "secondary" })).status).toBe(
        201,
      );
      const app = h.client();
      const owed = await tokenLogin(app, email);
      const held = bearer(owed.pendingToken!);
      const start = await app.post<{ options: never; state: string }>(
        "/wan-signin",
        { secondFactorState: owed.state },
        held,
      );
      expect(start.status, JSON.stringify(start.body)).toBe(200);
      const credential = await key.authenticate(start.body.options);
      const done = await app.post(
        "/wan-signin-response",
        { state: start.body.state, credential, secondFactorState: owed.state },
        held,
      );
      expect((await meWith(h, expectToken(done))).body).toMatchObject({ session: { aal: 2 } });
    });

    it("a password reset and an account recovery: their sessions as tokens", async () => {
      const { email } = await newUser(h);
      let mark = box.mark();
      await h.client().post("/reset-password", { email });
      const resetToken = tokenOf(await box.next(email, "reset-password", mark));
      const reset = await h.client().post("/reset-password/complete", {
        token: resetToken,
        password: "a brand new passphrase",
        session: "token",
      });
      expect((await meWith(h, expectToken(reset))).status).toBe(200);

      const passkeyOnly = h.client();
      const keyEmail = uniqueEmail("keys");
      expect((await passkeyOnly.post("/register", { email: keyEmail })).status).toBe(201);
      await registerFirstKeyAndSignIn(
        passkeyOnly,
        new SoftwareAuthenticator({ origin: h.origin }),
        { name: "phone" },
      );
      mark = box.mark();
      await h.client().post("/recover-account", { email: keyEmail });
      const link = tokenOf(await box.next(keyEmail, "recover-account", mark));
      const recovered = await h
        .client()
        .post("/recover-account/complete", { token: link, session: "token" });
      const token = expectToken(recovered);
      expect((await meWith(h, token)).body).toMatchObject({ session: { limited: "recovery" } });
      // The limited session may only add a key, as with a cookie.
      expect(errorCode(await h.client().get("/sessions", bearer(token)))).toBe("SESSION_LIMITED");
    });
  });

  describe("a request with a bearer", () => {
    it("ignores cookies: a bad bearer is 401 BEARER_TOKEN_INVALID even beside a good cookie", async () => {
      const { client } = await newUser(h);
      expect((await client.get("/me")).status).toBe(200);
      const stale = await client.get("/me", bearer("A".repeat(43)));
      expect(stale.status).toBe(401);
      expect(errorCode(stale)).toBe("BEARER_TOKEN_INVALID");
      expect(errorCode(await client.get("/me", bearer("not a token at all!")))).toBe(
        "BEARER_TOKEN_INVALID",
      );
    });

    it("needs no CSRF check, which a cookie request still gets", async () => {
      const { client, email } = await newUser(h);
      const token = expectToken(await tokenLogin(h.client(), email));
      const foreign = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
      const withCookie = await client.post("/verify", { password: PASSWORD }, foreign);
      expect(errorCode(withCookie)).toBe("CSRF_FAILED");
      const withToken = await h
        .client()
        .post("/verify", { password: PASSWORD }, { ...foreign, ...bearer(token) });
      expect(withToken.status, JSON.stringify(withToken.body)).toBe(200);
    });

    it("ends with the session: signed out (/logout), revoked from elsewhere, or expired", async () => {
      const { client, email } = await newUser(h);
      const first = expectToken(await tokenLogin(h.client(), email));
      const out = await h.client().post("/logout", {}, bearer(first));
      expect(out.status).toBe(200);
      expect(out.headers.getSetCookie()).toEqual([]);
      expect(errorCode(await h.client().get("/me", bearer(first)))).toBe("BEARER_TOKEN_INVALID");
      // The browser that signed up is still signed in.
      expect((await client.get("/me")).status).toBe(200);

      const second = expectToken(await tokenLogin(h.client(), email));
      const listed = await client.get<{ sessions: { id: string; current: boolean }[] }>(
        "/sessions",
      );
      const other = listed.body.sessions.find((s) => !s.current)!;
      expect((await client.post("/sessions/revoke", { id: other.id })).status).toBe(200);
      expect(errorCode(await h.client().get("/me", bearer(second)))).toBe("BEARER_TOKEN_INVALID");

      const third = expectToken(await tokenLogin(h.client(), email));
      h.clock.advance(h.auth.config.session.idleTimeout + 1000);
      expect(errorCode(await h.client().get("/me", bearer(third)))).toBe("BEARER_TOKEN_INVALID");
    });

    it("is accepted by auth.require on Hono and Node, and by keyward/fastify", async () => {
      const { email, userId } = await newUser(h);
      const token = expectToken(await tokenLogin(h.client(), email));

      const hono = new Hono<{ Variables: { keyward: ActiveSession } }>();
      hono.get("/app", h.auth.require({ aal: 1 }), (c) => c.json({ id: c.get("keyward").user.id }));
      const honoAnswer = await hono.fetch(
        new Request("http://localhost/app", { headers: bearer(token) }),
      );
      expect(await honoAnswer.json()).toEqual({ id: userId });
      const honoStale = await hono.fetch(
        new Request("http://localhost/app", { headers: bearer("B".repeat(43)) }),
      );
      expect(honoStale.status).toBe(401);
      expect(await honoStale.json()).toMatchObject({ error: { code: "BEARER_TOKEN_INVALID" } });

      const guard = h.auth.require({ aal: 1 });
      const server = createServer(
        (req: IncomingMessage & { keyward?: ActiveSession }, res: ServerResponse) => {
          void guard(req, res, () => {
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify({ id: req.keyward?.user.id }));
          });
        },
      );
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const port = (server.address() as AddressInfo).port;
        const node = await fetch(`http://127.0.0.1:${port}/app`, { headers: bearer(token) });
        expect(await node.json()).toEqual({ id: userId });
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }

      const fastify = Fastify();
      fastify.get("/app", { preHandler: keywardRequire(h.auth, { aal: 1 }) }, async (request) => ({
        id: request.keyward?.user.id,
      }));
      try {
        const answer = await fastify.inject({ method: "GET", url: "/app", headers: bearer(token) });
        expect(answer.json()).toEqual({ id: userId });
      } finally {
        await fastify.close();
      }
    });

    it("gets a reauthenticated session's new id as a token (/wan-verify-response)", async () => {
      const { client } = await newUser(h);
      const key = new SoftwareAuthenticator({ origin: h.origin });
      await registerFirstKeyAndSignIn(client, key, { name: "phone" });
      const app = h.client();
      const { options, state } = await startKeySignin(app);
      const first = expectToken(
        await app.post("/wan-signin-response", {
          state,
          credential: await key.authenticate(options),
          session: "token",
        }),
      );
      const verify = await app.post<{ options: never; state: string }>(
        "/wan-verify",
        {},
        bearer(first),
      );
      expect(verify.status, JSON.stringify(verify.body)).toBe(200);
      const done = await app.post(
        "/wan-verify-response",
        { state: verify.body.state, credential: await key.authenticate(verify.body.options) },
        bearer(first),
      );
      const renewed = expectToken(done);
      expect(renewed).not.toBe(first);
      expect((await meWith(h, renewed)).status).toBe(200);
      expect(errorCode(await h.client().get("/me", bearer(first)))).toBe("BEARER_TOKEN_INVALID");
    });
  });

  it('refuses a "session" that is neither "cookie" nor "token"', async () => {
    const email = await signUp(h.client());
    const result = await h
      .client()
      .post("/login", { identity: email, password: PASSWORD, session: "jwt" } satisfies Json);
    expect(errorCode(result)).toBe("INVALID_INPUT");
  });
});

describe.each(targets)("bearer tokens turned off (the default) on $name", (target) => {
  const h = useHarness(target);

  it("refuses to issue one, and treats an Authorization header as no session at all", async () => {
    const client = h.client();
    const email = await signUp(client);
    const asked = await h
      .client()
      .post("/login", { identity: email, password: PASSWORD, session: "token" });
    expect(asked.status).toBe(400);
    expect(errorCode(asked)).toBe("BEARER_TOKENS_DISABLED");
    // The cookie still decides: an Authorization header is not Keyward's then.
    const me = await client.get("/me", bearer("A".repeat(43)));
    expect(me.status).toBe(200);
    expect(errorCode(await h.client().get("/me", bearer("A".repeat(43))))).toBe("UNAUTHENTICATED");
  });
});

describe.each(targets)("bearer tokens with twoFactor.required on $name", (target) => {
  const h = useHarness(target, { session: { bearer: true }, twoFactor: { required: true } });

  it("enrols the first second factor with the pending token, then answers the session's token", async () => {
    const { email, userId } = await newUser(h);
    const app = h.client();
    const owed = await tokenLogin(app, email);
    expect(owed.body).toMatchObject({ twoFactorRequired: true, methods: [], setupRequired: true });
    const held = bearer(owed.pendingToken!);
    const setup = await app.post<{ state: string; otpauthUri: string }>(
      "/tf-setup",
      { state: owed.state, method: "totp" },
      held,
    );
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    const code = await totpAt(secretOf(setup.body.otpauthUri), h.clock.now());
    // Without the pending token the enrolment is not this client's.
    const stolen = await h.client().post("/tf-setup-validate", { state: setup.body.state, code });
    expect(errorCode(stolen)).toBe("STATE_INVALID");
    const done = await app.post("/tf-setup-validate", { state: setup.body.state, code }, held);
    expect((await meWith(h, expectToken(done))).body).toMatchObject({
      user: { id: userId },
      session: { aal: 2, amr: ["pwd", "otp"] },
    });
  });
});

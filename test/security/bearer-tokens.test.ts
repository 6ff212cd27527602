import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { expectRefused } from "../helpers/attacks.js";
import { bearer, expectToken, meWith, tokenLogin } from "../helpers/bearer.js";
import {
  PASSWORD,
  registerFirstKeyAndSignIn,
  registerKey,
  startKeySignin,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import type { TestClient } from "../helpers/harness.js";
import { useHarness } from "../helpers/harness.js";
import { enrolTotp, errorCode, newUser, passwordStep, totpAt } from "../helpers/two-factor.js";

const targets = await databaseTargets();

describe.each(targets)(
  "bearer tokens are sessions, with every session rule, on $name",
  (target) => {
    const h = useHarness(target, { session: { bearer: true } });

    it("ends every bearer token when the owner signs out everywhere from a browser", async () => {
      const { client, email } = await newUser(h);
      const tokens = [
        expectToken(await tokenLogin(h.client(), email)),
        expectToken(await tokenLogin(h.client(), email)),
      ];
      expect((await client.post("/sign-out-everywhere")).status).toBe(200);
      for (const token of tokens) {
        const me = await meWith(h, token);
        expect(me.status).toBe(401);
        expect((me.body as { error: { code: string } }).error.code).toBe("BEARER_TOKEN_INVALID");
      }
    });

    it("ends a bearer token earned by a key when that key is removed", async () => {
      const { client } = await newUser(h);
      const key = new SoftwareAuthenticator({ origin: h.origin });
      const registered = await registerFirstKeyAndSignIn(client, key, { name: "phone" });
      const app = h.client();
      const { options, state } = await startKeySignin(app);
      const token = expectToken(
        await app.post("/wan-signin-response", {
          state,
          credential: await key.authenticate(options),
          session: "token",
        }),
      );
      expect((await meWith(h, token)).status).toBe(200);
      // The browser (signed in with the same key, fresh, AAL2) removes the key.
      const removed = await client.post("/wan-delete", {
        id: (registered.body as { credential: { id: string } }).credential.id,
        confirm: "last-sign-in-method",
      });
      expect(removed.status, JSON.stringify(removed.body)).toBe(200);
      expect(errorCode(await h.client().get("/me", bearer(token)))).toBe("BEARER_TOKEN_INVALID");
    });

    it("holds a bearer session to the factor-change rule: AAL1 cannot add or replace a factor", async () => {
      // A token issued before the account had a second factor is AAL1, and stays so; once the
      // account has one, a password sign-in owes it (a pending token, not a session).
      const { client, email } = await newUser(h);
      const aal1 = expectToken(await tokenLogin(h.client(), email));
      await enrolTotp(h, client);
      expect((await tokenLogin(h.client(), email)).pendingToken).toBeDefined();
      for (const [path, body] of [
        ["/wan-register", { name: "mine", usage: "secondary" }],
        ["/mf-recovery-codes", {}],
        ["/tf-setup", { method: "totp" }],
      ] as const) {
        const result = await h.client().post(path, body, bearer(aal1));
        expectRefused(result, "AAL_REQUIRED");
      }
    });

    describe("a pending sign-in stays with the client that proved the first factor", () => {
      async function owedTo(email: string) {
        const app = h.client();
        const owed = await tokenLogin(app, email);
        expect(owed.pendingToken, JSON.stringify(owed.body)).toBeDefined();
        return { app, state: owed.state!, pendingToken: owed.pendingToken! };
      }

      /** Every route that continues a sign-in, for `state`, from `client` with `headers`. */
      function continuations(client: TestClient, state: string, code: string, recovery: string) {
        return (headers: Record<string, string>) => [
          () => client.post("/tf-select", { state, method: "totp" }, headers),
          () => client.post("/tf-validate", { state, method: "totp", code }, headers),
          () => client.post("/mf-recovery", { state, code: recovery }, headers),
          () => client.post("/tf-remembered", { state }, headers),
          () => client.post("/wan-signin", { secondFactorState: state }, headers),
        ];
      }

      it("refuses the state alone, with another client's pending token, or in a pending cookie", async () => {
        const { client, email, userId } = await newUser(h);
        const { secret, recoveryCodes } = await enrolTotp(h, client);
        await client.post("/logout");
        const victim = await owedTo(email);
        const thiefOwn = await owedTo(email);
        const code = await totpAt(secret, h.clock.now());
        const sessionsBefore = (await h.store.sessions.listForUser(userId)).length;

        const thief = h.client();
        const cookieThief = h.client();
        cookieThief.cookies.set("keyward_tf", victim.state);
        const attempts = [
          // The state string alone, as JSON from a client with nothing else.
          ...continuations(thief, victim.state, code, recoveryCodes[0]!)({}),
          // The state with the thief's own (valid) pending token.
          ...continuations(
            thief,
            victim.state,
            code,
            recoveryCodes[0]!,
          )(bearer(thiefOwn.pendingToken)),
          // The state relayed into a browser's pending cookie.
          ...continuations(cookieThief, victim.state, code, recoveryCodes[0]!)({}),
          // Asking for a token with the state and no pending token.
          () =>
            thief.post("/tf-validate", {
              state: victim.state,
              method: "totp",
              code,
              session: "token",
            }),
        ];
        for (const attempt of attempts) {
          const result = await attempt();
          expectRefused(result, "STATE_INVALID");
          expect((result.body as { token?: string }).token).toBeUndefined();
        }
        expect((await h.store.sessions.listForUser(userId)).length).toBe(sessionsBefore);

        // The client that proved the password still completes it.
        const done = await victim.app.post(
          "/tf-validate",
          { state: victim.state, method: "totp", code },
          bearer(victim.pendingToken),
        );
        expect((await meWith(h, expectToken(done))).body).toMatchObject({ session: { aal: 2 } });
      });

      it("refuses a browser's pending state continued with a bearer", async () => {
        const { client, email } = await newUser(h);
        const { secret } = await enrolTotp(h, client);
        const browser = await passwordStep(h, email);
        const tokenClient = await owedTo(email);
        const code = await totpAt(secret, h.clock.now());
        const result = await h
          .client()
          .post(
            "/tf-validate",
            { state: browser.pending.state, method: "totp", code },
            bearer(tokenClient.pendingToken),
          );
        expectRefused(result, "STATE_INVALID");
        // The browser, with its cookie, completes its own.
        const done = await browser.client.post("/tf-validate", {
          state: browser.pending.state,
          method: "totp",
          code,
        });
        expect(done.status, JSON.stringify(done.body)).toBe(200);
      });

      it("refuses a second-factor key ceremony for another client's pending token", async () => {
        const { client, email } = await newUser(h);
        const key = new SoftwareAuthenticator({ origin: h.origin });
        expect((await registerKey(client, key, { name: "2fa", usage: "secondary" })).status).toBe(
          201,
        );
        await client.post("/logout");
        const victim = await owedTo(email);
        const thief = await owedTo(email);
        // The thief starts the key step for the victim's state with its own pending token.
        const start = await thief.app.post(
          "/wan-signin",
          { secondFactorState: victim.state },
          bearer(thief.pendingToken),
        );
        expectRefused(start, "STATE_INVALID");
        // And cannot finish one the victim started.
        const begun = await victim.app.post<{ options: never; state: string }>(
          "/wan-signin",
          { secondFactorState: victim.state },
          bearer(victim.pendingToken),
        );
        const credential = await key.authenticate(begun.body.options);
        const stolen = await thief.app.post(
          "/wan-signin-response",
          { state: begun.body.state, credential, secondFactorState: victim.state },
          bearer(thief.pendingToken),
        );
        expectRefused(stolen, "STATE_INVALID");
      });
    });

    it("does not let a token request change the browser session it came with", async () => {
      const { client, email } = await newUser(h);
      // An SPA on the same site signs in for a token: the browser's cookie session stays.
      const asked = await client.post("/login", {
        identity: email,
        password: PASSWORD,
        session: "token",
      });
      expectToken(asked);
      expect((await client.get("/me")).status).toBe(200);
    });
  },
);

import { describe, expectTypeOf, it } from "vitest";
import type { KeyInfo, SessionInfo, SignInResult, UserInfo } from "../../src/browser/index.js";
import type { PublicUser } from "../../src/core/types.js";
import type {
  CredentialJson,
  PasskeySignalsJson,
  SessionJson,
  SessionListJson,
  UserJson,
} from "../../src/http/responses.js";
import type { sessionView } from "../../src/http/session-cookie.js";
import type { SessionSummary } from "../../src/session/manage.js";
import type { PasskeySignals } from "../../src/webauthn/signals.js";
import type { CredentialView } from "../../src/webauthn/view.js";

/**
 * What the server builds has the fields its declaration names, no more, no fewer, with values
 * the declaration allows. These are checked by the compiler (`tsc --noEmit`, part of `npm
 * test`): a field added on one side only fails the build.
 */
describe("response declarations (http/responses.ts)", () => {
  it("match what the server sends", () => {
    expectTypeOf<keyof ReturnType<typeof sessionView>>().toEqualTypeOf<keyof SessionJson>();
    expectTypeOf<ReturnType<typeof sessionView>>().toExtend<SessionJson>();
    expectTypeOf<keyof PublicUser>().toEqualTypeOf<keyof UserJson>();
    expectTypeOf<PublicUser>().toExtend<UserJson>();
    expectTypeOf<keyof CredentialView>().toEqualTypeOf<keyof CredentialJson>();
    expectTypeOf<CredentialView>().toExtend<CredentialJson>();
    expectTypeOf<keyof PasskeySignals>().toEqualTypeOf<keyof PasskeySignalsJson>();
    expectTypeOf<PasskeySignals>().toExtend<PasskeySignalsJson>();
    type Listed = SessionListJson["sessions"][number];
    expectTypeOf<keyof SessionSummary>().toEqualTypeOf<keyof Listed>();
    expectTypeOf<SessionSummary>().toExtend<Listed>();
  });

  it("are the browser client's types", () => {
    expectTypeOf<SessionInfo>().toEqualTypeOf<SessionJson>();
    expectTypeOf<UserInfo>().toEqualTypeOf<UserJson>();
    expectTypeOf<KeyInfo>().toEqualTypeOf<CredentialJson>();
    type SignedIn = Extract<SignInResult, { status: "signed-in" }>;
    expectTypeOf<SignedIn["session"]>().toEqualTypeOf<SessionJson>();
    // The drift issue #17 names: the server sends `limited`, so the client knows it.
    expectTypeOf<SessionInfo>().toHaveProperty("limited");
  });
});

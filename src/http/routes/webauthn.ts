import { z } from "zod";
import type { KeywardContext } from "../../context.js";
import type { ErrorCode } from "../../core/errors.js";
import { finishKeyEnrolment, startKeyEnrolment } from "../../webauthn/enrol.js";
import { CONFIRM_LAST_SIGN_IN, deleteKey, listKeys, renameKey } from "../../webauthn/manage.js";
import { finishRegistration, startRegistration } from "../../webauthn/register.js";
import {
  authenticationCredential,
  registrationCredential,
  usageSchema,
} from "../../webauthn/schemas.js";
import { passkeySignals } from "../../webauthn/signals.js";
import { finishSignIn, startSignIn } from "../../webauthn/signin.js";
import { startPasskeyUpgrade } from "../../webauthn/upgrade.js";
import { finishVerify, startVerify } from "../../webauthn/verify.js";
import { callerOf } from "../caller.js";
import { reply, withDone } from "../negotiate.js";
import {
  CeremonyStartJson,
  CredentialListJson,
  CredentialResultJson,
  KeyDeletedJson,
  KeyRegisteredJson,
  PasskeySignalsJson,
  SessionOnlyJson,
  SignInResultJson,
} from "../responses.js";
import type { RouteTable } from "../route.js";
import { clearSessionCookie, deliverSession, sessionView } from "../session-cookie.js";
import { checkbox, remember } from "../sign-in-fields.js";
import { signInResponse } from "../signin-response.js";

const state = z.string().min(1).max(128);
const name = z.string().max(1024);
const keyRef = z
  .object({ name: name.optional(), id: z.string().max(64).optional() })
  .refine((v) => v.name !== undefined || v.id !== undefined, { message: "name or id is required" });

// Without a name, the key is named after its authenticator model (see webauthn/register.ts).
export const wanRegisterBody = z.object({
  name: name.optional(),
  usage: usageSchema.default("secondary"),
  // Where the key should live; without it WebauthnUtil decides (cross-platform for `first`).
  // "hybrid": a phone or tablet nearby (cross-platform, hinted as such).
  attachment: z.enum(["platform", "cross-platform", "hybrid"]).optional(),
  // A sign-in held back until the account enrols a second factor: its pending state stands in
  // for the session (webauthn/enrol.ts).
  state: state.optional().meta({
    description:
      "The pending state of a sign-in that must enrol a second factor first (setupRequired): the key is enrolled for it instead of for a session",
  }),
});
export const wanRegisterResponseBody = z.object({ state, credential: registrationCredential });
export const wanSigninBody = z.object({
  identity: z.string().trim().min(1).max(254).optional(),
  secondFactorState: state.optional(),
});
export const wanSigninResponseBody = z.object({
  state,
  credential: authenticationCredential,
  secondFactorState: state.optional(),
  remember,
  // After a key as the second factor: skip the second factor on this browser for a while.
  rememberDevice: checkbox,
});
export const wanVerifyResponseBody = z.object({ state, credential: authenticationCredential });
export const wanRenameBody = keyRef.and(z.object({ newName: name }));
export const wanDeleteBody = keyRef.and(
  z.object({
    // Removing the account's last way to sign in needs this, naming exactly that.
    confirm: z.literal(CONFIRM_LAST_SIGN_IN).optional(),
  }),
);

/** What checking an assertion may refuse (webauthn/assertion.ts and its ceremony state). */
const ASSERTION_ERRORS: ErrorCode[] = [
  "STATE_INVALID",
  "STATE_EXPIRED",
  "WEBAUTHN_VERIFICATION_FAILED",
  "WEBAUTHN_UNKNOWN_CREDENTIAL",
  "WEBAUTHN_USER_HANDLE_MISMATCH",
  "WEBAUTHN_USAGE_NOT_ALLOWED",
  "WEBAUTHN_COUNTER_REGRESSION",
  "WEBAUTHN_BACKUP_ELIGIBILITY_CHANGED",
];

/** WebAuthn keys: register, sign in (first or second factor), verify, list, rename, delete. */
export function webauthnRoutes(routes: RouteTable, ctx: KeywardContext): void {
  const caller = (c: Parameters<typeof callerOf>[1]) => callerOf(ctx, c);

  // A recovery session (limited) exists to do exactly this: register a new key. With `state`,
  // a sign-in that must enrol a second factor first (`twoFactor.required`) enrols a key: the
  // pending state, held by this client, stands in for the session, as at /tf-setup.
  routes.post(
    "/wan-register",
    {
      body: wanRegisterBody,
      access: "factor-change",
      limited: "allow",
      pendingWhen: (input) => input.state !== undefined,
      continues: (input) => input.state,
      summary: "Creation options for a new key (with state: for a sign-in that must enrol one)",
      tag: "webauthn",
      returns: CeremonyStartJson,
      errors: [
        "STATE_EXPIRED",
        "ACCOUNT_INACTIVE",
        "ACCOUNT_LOCKED",
        "WEBAUTHN_NAME_INVALID",
        "WEBAUTHN_NAME_TAKEN",
        "WEBAUTHN_USAGE_NOT_ALLOWED",
        "WEBAUTHN_KEY_LIMIT",
        "RATE_LIMITED",
      ],
    },
    async (c, { state, ...input }, active) =>
      c.json(
        state !== undefined
          ? await startKeyEnrolment(ctx, state, input, caller(c))
          : await startRegistration(ctx, active!, input, caller(c)),
      ),
  );

  // Without a session, the registration being finished is an enrolment at sign-in: the key is
  // stored and the held-back sign-in completes with it (webauthn/enrol.ts).
  routes.post(
    "/wan-register-response",
    {
      signsIn: true,
      body: wanRegisterResponseBody,
      access: "factor-change",
      limited: "allow",
      pendingWhen: (_, active) => active === undefined,
      summary:
        "Verify and store a new key (for a sign-in that must enrol one: and complete that sign-in)",
      tag: "webauthn",
      returns: KeyRegisteredJson,
      status: 201,
      errors: [
        "STATE_INVALID",
        "STATE_EXPIRED",
        "ACCOUNT_INACTIVE",
        "ACCOUNT_LOCKED",
        "EMAIL_NOT_CONFIRMED",
        "WEBAUTHN_VERIFICATION_FAILED",
        "WEBAUTHN_CREDENTIAL_EXISTS",
        "WEBAUTHN_USAGE_NOT_ALLOWED",
        "WEBAUTHN_NAME_TAKEN",
        "WEBAUTHN_NAME_INVALID",
        "WEBAUTHN_KEY_LIMIT",
        "PASSKEY_UPGRADE_UNAVAILABLE",
      ],
    },
    async (c, input, active) => {
      if (active === undefined) {
        const { outcome } = await finishKeyEnrolment(ctx, input, caller(c));
        return signInResponse(ctx, c, outcome);
      }
      const registered = await finishRegistration(ctx, active, input, caller(c));
      return c.json(registered, 201);
    },
  );

  // An automatic passkey upgrade: a factor change like /wan-register (so a password alone
  // never adds a key to an account that reaches AAL2), open only to a session a password
  // earned within webauthn.passkeyUpgradeWithin; finished by /wan-register-response.
  routes.post(
    "/wan-upgrade",
    {
      body: z.object({}),
      access: "factor-change",
      summary:
        "Creation options for an automatic passkey upgrade (conditional create) right after a password sign-in",
      tag: "webauthn",
      returns: CeremonyStartJson,
      errors: ["PASSKEY_UPGRADE_UNAVAILABLE", "WEBAUTHN_KEY_LIMIT", "RATE_LIMITED"],
    },
    async (c, _, active) => c.json(await startPasskeyUpgrade(ctx, active, caller(c).client)),
  );

  // With `secondFactorState`, a key is the second factor of this browser's pending sign-in.
  routes.post(
    "/wan-signin",
    {
      body: wanSigninBody,
      access: "public",
      continues: (input) => input.secondFactorState,
      summary: "Request options to sign in with a key",
      tag: "webauthn",
      returns: CeremonyStartJson,
      errors: [
        "STATE_EXPIRED",
        "WEBAUTHN_DISABLED",
        "TWO_FACTOR_METHOD_NOT_AVAILABLE",
        "RATE_LIMITED",
      ],
    },
    async (c, input) => c.json(await startSignIn(ctx, input, caller(c))),
  );

  routes.post(
    "/wan-signin-response",
    {
      signsIn: true,
      body: wanSigninResponseBody,
      access: "public",
      continues: (input) => input.secondFactorState,
      summary: "Verify a key's assertion and sign in",
      tag: "webauthn",
      returns: SignInResultJson,
      errors: [
        ...ASSERTION_ERRORS,
        "ACCOUNT_INACTIVE",
        "ACCOUNT_LOCKED",
        "EMAIL_NOT_CONFIRMED",
        "RATE_LIMITED",
      ],
    },
    async (c, input) => {
      const outcome = await finishSignIn(ctx, input, caller(c));
      return signInResponse(ctx, c, outcome);
    },
  );

  routes.post(
    "/wan-verify",
    {
      body: z.object({}),
      access: "session",
      summary: "Request options to re-verify with a key",
      tag: "webauthn",
      returns: CeremonyStartJson,
      errors: ["WEBAUTHN_CREDENTIAL_NOT_FOUND", "RATE_LIMITED"],
    },
    async (c, _, active) => c.json(await startVerify(ctx, active, caller(c))),
  );

  routes.post(
    "/wan-verify-response",
    {
      body: wanVerifyResponseBody,
      access: "session",
      summary:
        "Verify the assertion; the session becomes fresh (a passkey with UV also restores a lapsed AAL2, with a new session cookie)",
      tag: "webauthn",
      returns: SessionOnlyJson,
      errors: ASSERTION_ERRORS,
    },
    async (c, input, active) => {
      const { token } = await finishVerify(ctx, active, input, caller(c));
      // A reauthentication proved AAL2 again, under a new session id.
      const delivered = token ? deliverSession(ctx, c, token, active.session) : {};
      return c.json({ session: sessionView(ctx, active.session), ...delivered });
    },
  );

  routes.get(
    "/wan-signal",
    {
      access: "session",
      summary: "What the browser's passkey provider should know (WebAuthn Signal API)",
      tag: "webauthn",
      returns: PasskeySignalsJson,
    },
    async (c, active) => c.json(await passkeySignals(ctx, active)),
  );

  routes.get(
    "/wan-credentials",
    { access: "session", summary: "The user's keys", tag: "webauthn", returns: CredentialListJson },
    async (c, active) => c.json({ credentials: await listKeys(ctx, active) }),
  );

  routes.post(
    "/wan-rename",
    {
      body: wanRenameBody,
      access: "factor-change",
      summary: "Rename a key",
      tag: "webauthn",
      returns: CredentialResultJson,
      errors: ["WEBAUTHN_CREDENTIAL_NOT_FOUND", "WEBAUTHN_NAME_TAKEN", "WEBAUTHN_NAME_INVALID"],
    },
    async (c, input, active) => {
      const credential = await renameKey(ctx, active, input, caller(c));
      return reply(
        c,
        () => c.json({ credential }),
        () => withDone(`${ctx.config.prefix}/account`, "key-renamed"),
      );
    },
  );

  routes.post(
    "/wan-delete",
    {
      body: wanDeleteBody,
      access: "factor-change",
      summary: "Delete a key",
      tag: "webauthn",
      returns: KeyDeletedJson,
      errors: ["WEBAUTHN_CREDENTIAL_NOT_FOUND", "LAST_SIGN_IN_METHOD"],
    },
    async (c, input, active) => {
      const deleted = await deleteKey(ctx, active, input, caller(c));
      // The key earned this very session: it ended with the key, so the browser signs out too.
      if (deleted.signedOut) clearSessionCookie(ctx, c);
      return reply(
        c,
        () => c.json(deleted),
        () =>
          deleted.signedOut
            ? withDone(`${ctx.config.prefix}/login`, "key-deleted-signed-out")
            : withDone(
                `${ctx.config.prefix}/account`,
                deleted.twoFactorDisabled ? "key-deleted-two-factor-off" : "key-deleted",
              ),
      );
    },
  );
}

import type { Context } from "hono";
import { z } from "zod";
import type { KeywardContext } from "../../context.js";
import { ErrorCode, KeywardError } from "../../core/errors.js";
import { generateRecoveryCodes } from "../../factors/recovery.js";
import {
  builtInFactors,
  codeMethods,
  isSetupFactor,
  secondFactorMethods,
  setupMethods,
} from "../../factors/registry.js";
import type { SecondFactor } from "../../factors/second-factor.js";
import {
  disableSecondFactors,
  finishSetup,
  startSetup,
  twoFactorStatus,
} from "../../factors/setup.js";
import {
  selectSecondFactor,
  signInWithRecoveryCode,
  signInWithRememberedDevice,
  validateSecondFactor,
} from "../../factors/two-factor.js";
import { startSignIn } from "../../webauthn/signin.js";
import { bodyKind } from "../body.js";
import { callerOf } from "../caller.js";
import type { HttpEnv } from "../env.js";
import { nextOf, seeOther, wantsHtml } from "../negotiate.js";
import { ObjectJson, RecoveryCodesJson, SignInResultJson } from "../responses.js";
import type { RouteTable } from "../route.js";
import { clearSessionCookie } from "../session-cookie.js";
import { checkbox, code } from "../sign-in-fields.js";
import { signInResponse } from "../signin-response.js";

const state = z.string().min(1).max(128);

/** One body per method /tf-setup sets up (with the fields it needs), and `disable`. */
const setupBodies = (builtInFactors as readonly SecondFactor[])
  .filter(isSetupFactor)
  .map((factor) =>
    z.object({ method: z.literal(factor.method), ...factor.setup.fields, state: state.optional() }),
  );
const disableBody = z.object({
  method: z.literal("disable"),
  only: z.enum(setupMethods).optional(),
});
type SetupOption = (typeof setupBodies)[number] | typeof disableBody;
const setupOptions: SetupOption[] = [...setupBodies, disableBody];
export const tfSetupBody = z.discriminatedUnion(
  "method",
  setupOptions as [SetupOption, ...SetupOption[]],
);
export const tfSetupValidateBody = z.object({ state, code });
export const tfSelectBody = z.object({
  state: state.optional(),
  method: z.enum(secondFactorMethods),
});
export const tfValidateBody = z.object({
  state: state.optional(),
  method: z.enum(codeMethods),
  code,
  rememberDevice: checkbox,
});
export const tfRememberedBody = z.object({ state: state.optional() });
export const mfRecoveryBody = z.object({
  state: state.optional(),
  code: z.string().min(1).max(64),
});

/** What continuing a pending sign-in may refuse (its state, the account, the method offered). */
const PENDING_ERRORS: ErrorCode[] = [
  "STATE_EXPIRED",
  "ACCOUNT_INACTIVE",
  "ACCOUNT_LOCKED",
  "TWO_FACTOR_NOT_ENROLLED",
  "TWO_FACTOR_METHOD_NOT_AVAILABLE",
  "RATE_LIMITED",
];

/** The pages this file renders for HTML form posts (routes/pages-render.ts provides them). */
export interface TwoFactorPages {
  totpSetup(
    c: Context<HttpEnv>,
    setup: { uri: string; secret: string; qrSvg?: string; state?: string },
  ): Promise<Response>;
  recoveryCodes(c: Context<HttpEnv>, codes: string[]): Promise<Response>;
}

/**
 * Second factors: setup (/tf-setup, /tf-setup-validate, /tf-status), sign-in (/tf-select,
 * /tf-validate, /tf-remembered) and recovery codes (/mf-recovery-codes, /mf-recovery).
 */
export function twoFactorRoutes(
  routes: RouteTable,
  ctx: KeywardContext,
  pages?: TwoFactorPages,
): void {
  const { prefix } = ctx.config;
  const caller = (c: Context<HttpEnv>) => callerOf(ctx, c);
  // A JSON client sends the pending state in the body; an HTML form may rely on the cookie.
  const pendingOf = (c: Context<HttpEnv>, given: string | undefined): string => {
    const form = bodyKind(c.req.header("content-type")) === "form";
    const found = given ?? (form ? caller(c).heldPending : undefined);
    if (found === undefined) {
      throw new KeywardError(ErrorCode.INVALID_INPUT, "state: required", { field: "state" });
    }
    return found;
  };
  const withNext = (c: Context<HttpEnv>, path: string) => {
    const next = nextOf(c);
    if (!next) return path;
    return `${path}${path.includes("?") ? "&" : "?"}next=${encodeURIComponent(next)}`;
  };

  // Setting up a second factor changes the account's factors; during a sign-in that must
  // enrol one first (`twoFactor.required`), the pending state stands in for the session.
  routes.post(
    "/tf-setup",
    {
      body: tfSetupBody,
      access: "factor-change",
      pendingWhen: (input) => input.method !== "disable" && input.state !== undefined,
      continues: (input) => (input.method === "disable" ? undefined : input.state),
      summary: "Start enrolling a second factor, or disable one",
      tag: "two-factor",
      returns: ObjectJson,
      errors: [
        "STATE_EXPIRED",
        "ACCOUNT_INACTIVE",
        "ACCOUNT_LOCKED",
        "TWO_FACTOR_NOT_ENROLLED",
        "TWO_FACTOR_METHOD_NOT_AVAILABLE",
        "TWO_FACTOR_DELIVERY_FAILED",
        "ROAMING_FACTOR_REQUIRED",
        "RATE_LIMITED",
      ],
    },
    async (c, input, active) => {
      if (input.method === "disable") {
        const { status, signedOut } = await disableSecondFactors(
          ctx,
          active!,
          input.only,
          caller(c),
        );
        // The removed factor earned this very session: it ended too, so the browser signs out.
        if (signedOut) clearSessionCookie(ctx, c);
        if (wantsHtml(c)) {
          return seeOther(
            c,
            signedOut ? `${prefix}/login?done=factor-removed-signed-out` : `${prefix}/account`,
          );
        }
        return c.json({ twoFactor: status, signedOut });
      }
      const who =
        input.state !== undefined
          ? ({ kind: "pending", state: input.state } as const)
          : ({ kind: "session", active: active! } as const);
      const setup = await startSetup(ctx, who, input, caller(c));
      const expiresAt = new Date(setup.expiresAt).toISOString();
      // A secret to scan (an authenticator app) has its own page; a code sent goes to JSON.
      if ("otpauthUri" in setup && pages && wantsHtml(c)) {
        return pages.totpSetup(c, {
          uri: setup.otpauthUri,
          secret: setup.secret,
          qrSvg: setup.qrSvg,
          state: setup.state,
        });
      }
      return c.json({ ...setup, expiresAt });
    },
  );

  // Without a session, the setup being finished is an enrolment at sign-in (factors/setup.ts
  // refuses a session-bound setup then).
  routes.post(
    "/tf-setup-validate",
    {
      signsIn: true,
      body: tfSetupValidateBody,
      access: "factor-change",
      pendingWhen: (_, active) => active === undefined,
      summary: "Finish enrolling with a code",
      tag: "two-factor",
      returns: ObjectJson,
      errors: [
        "STATE_INVALID",
        "STATE_EXPIRED",
        "ACCOUNT_INACTIVE",
        "ACCOUNT_LOCKED",
        "TWO_FACTOR_CODE_INVALID",
        "TWO_FACTOR_CODE_EXPIRED",
        "ROAMING_FACTOR_REQUIRED",
        "TWO_FACTOR_REQUIRED",
        "EMAIL_NOT_CONFIRMED",
        "RATE_LIMITED",
      ],
    },
    async (c, input, active) => {
      const finished = await finishSetup(ctx, active, input, caller(c));
      if (finished.kind === "signed-in") return signInResponse(ctx, c, finished.outcome);
      if (wantsHtml(c)) {
        if (pages && finished.recoveryCodes) return pages.recoveryCodes(c, finished.recoveryCodes);
        return seeOther(c, `${prefix}/account?done=two-factor-on`);
      }
      return c.json({
        method: finished.method,
        twoFactor: finished.status,
        ...(finished.recoveryCodes ? { recoveryCodes: finished.recoveryCodes } : {}),
      });
    },
  );

  routes.get(
    "/tf-status",
    {
      access: "session",
      summary: "The user's second factors and warnings",
      tag: "two-factor",
      returns: ObjectJson,
    },
    async (c, active) =>
      c.json({ twoFactor: await twoFactorStatus(ctx, active, caller(c).client.locale) }),
  );

  routes.post(
    "/tf-select",
    {
      body: tfSelectBody,
      access: "public",
      continues: (input) => input.state,
      summary: "Choose the second factor for a pending sign-in",
      tag: "two-factor",
      returns: ObjectJson,
      errors: [...PENDING_ERRORS, "TWO_FACTOR_DELIVERY_FAILED", "WEBAUTHN_DISABLED"],
    },
    async (c, input) => {
      const pending = pendingOf(c, input.state);
      const selected = await selectSecondFactor(
        ctx,
        { state: pending, method: input.method },
        caller(c),
      );
      if (wantsHtml(c))
        return seeOther(c, withNext(c, `${prefix}/tf-validate?method=${input.method}`));
      if (input.method === "webauthn") {
        // The key's ceremony itself: finish it with POST /wan-signin-response {secondFactorState}.
        return c.json({
          method: "webauthn",
          webauthn: await startSignIn(ctx, { secondFactorState: pending }, caller(c)),
        });
      }
      return c.json({
        method: selected.method,
        ...(selected.destination !== undefined ? { destination: selected.destination } : {}),
        ...(selected.expiresAt !== undefined
          ? { expiresAt: new Date(selected.expiresAt).toISOString() }
          : {}),
      });
    },
  );

  routes.post(
    "/tf-validate",
    {
      signsIn: true,
      body: tfValidateBody,
      access: "public",
      continues: (input) => input.state,
      summary: "Complete a pending sign-in with a code",
      tag: "two-factor",
      returns: SignInResultJson,
      errors: [
        ...PENDING_ERRORS,
        "TWO_FACTOR_CODE_INVALID",
        "TWO_FACTOR_CODE_USED",
        "TWO_FACTOR_CODE_EXPIRED",
        "EMAIL_NOT_CONFIRMED",
      ],
    },
    async (c, input) => {
      const outcome = await validateSecondFactor(
        ctx,
        {
          ...input,
          state: pendingOf(c, input.state),
          // A remembered device is a browser's cookie; a bearer client has none to keep it in.
          rememberDevice: input.rememberDevice && caller(c).carrier === "cookie",
        },
        caller(c),
      );
      return signInResponse(ctx, c, outcome);
    },
  );

  routes.post(
    "/tf-remembered",
    {
      body: tfRememberedBody,
      access: "public",
      continues: (input) => input.state,
      summary: "Complete a pending sign-in on a remembered device",
      tag: "two-factor",
      returns: SignInResultJson,
      errors: [...PENDING_ERRORS, "TWO_FACTOR_DEVICE_NOT_REMEMBERED", "EMAIL_NOT_CONFIRMED"],
    },
    async (c, input) => {
      const token =
        caller(c).carrier === "cookie"
          ? ctx.cookies.read(c.req.header("cookie"), "remember")
          : undefined;
      const outcome = await signInWithRememberedDevice(
        ctx,
        { state: pendingOf(c, input.state), token },
        caller(c),
      );
      return signInResponse(ctx, c, outcome);
    },
  );

  routes.post(
    "/mf-recovery-codes",
    {
      body: z.object({}),
      access: "factor-change",
      summary: "Generate recovery codes (shown once)",
      tag: "two-factor",
      returns: RecoveryCodesJson,
      errors: ["TWO_FACTOR_NOT_ENROLLED"],
    },
    async (c, _, active) => {
      const codes = await generateRecoveryCodes(ctx, active, caller(c));
      if (pages && wantsHtml(c)) return pages.recoveryCodes(c, codes);
      return c.json({ codes, count: codes.length });
    },
  );

  routes.post(
    "/mf-recovery",
    {
      signsIn: true,
      body: mfRecoveryBody,
      access: "public",
      continues: (input) => input.state,
      summary: "Complete a pending sign-in with a recovery code",
      tag: "two-factor",
      returns: SignInResultJson,
      errors: [...PENDING_ERRORS, "RECOVERY_CODE_INVALID", "EMAIL_NOT_CONFIRMED"],
    },
    async (c, input) => {
      const outcome = await signInWithRecoveryCode(
        ctx,
        { state: pendingOf(c, input.state), code: input.code },
        caller(c),
      );
      return signInResponse(ctx, c, outcome);
    },
  );
}

import type { Context } from "hono";
import { z } from "zod";
import type { KeywardContext } from "../../context.js";
import { ErrorCode, KeywardError } from "../../core/errors.js";
import { isBuiltInMethod } from "../../factors/names.js";
import { generateRecoveryCodes } from "../../factors/recovery.js";
import {
  type FactorRegistry,
  isBuiltInSetupMethod,
  isSetupFactor,
  type SetupMethod,
  setupMethods,
} from "../../factors/registry.js";
import {
  disableSecondFactors,
  finishSetup,
  setupMethodOf,
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
import { bodyKind, parseInput } from "../body.js";
import { callerOf } from "../caller.js";
import type { HttpEnv } from "../env.js";
import { nextOf, seeOther, wantsHtml } from "../negotiate.js";
import { ObjectJson, RecoveryCodesJson, SignInResultJson } from "../responses.js";
import type { RouteTable } from "../route.js";
import { clearSessionCookie } from "../session-cookie.js";
import { checkbox, code } from "../sign-in-fields.js";
import { signInResponse } from "../signin-response.js";

const state = z.string().min(1).max(128);

/** A method's name: a built-in one, or one of the app's own factors. */
const methodOf = (names: string[]) =>
  z.enum(names as [string, ...string[]]).meta({
    description: "A built-in method, or the name of one of the app's own second factors",
  });

/**
 * The bodies of the second-factor routes, from the methods this instance has (the built-in
 * ones and the app's own, `ctx.factors`): a method field accepts exactly their names.
 */
export function twoFactorBodies(factors: FactorRegistry) {
  /** One body per method /tf-setup sets up (with the fields it needs), and `disable`. */
  const setupBodies = factors.all.filter(isSetupFactor).map((factor) =>
    z.object({
      method: z.literal(factor.method),
      ...factor.setup.fields,
      state: state.optional(),
    }),
  );
  const disableBody = z.object({
    method: z.literal("disable"),
    only: methodOf([
      ...setupMethods,
      ...factors.apps.filter((f) => f.app.disable !== undefined).map((f) => f.method),
    ]).optional(),
  });
  type SetupOption = (typeof setupBodies)[number] | typeof disableBody;
  /** The body that turns factors off (the methods' names are strings, so tell it by this). */
  const isDisable = (input: z.output<SetupOption>): input is z.output<typeof disableBody> =>
    input.method === "disable";
  const setupOptions: SetupOption[] = [...setupBodies, disableBody];
  return {
    tfSetup: z.discriminatedUnion("method", setupOptions as [SetupOption, ...SetupOption[]]),
    isDisable,
    tfSelect: z.object({ state: state.optional(), method: methodOf(factors.names()) }),
    tfValidate: z.object({
      state: state.optional(),
      method: methodOf(factors.names((factor) => factor.verify !== undefined)),
      // The built-in methods' codes are digits (checked per method below); an app's may not
      // be, and an approval has none.
      code: z.string().max(64).optional(),
      rememberDevice: checkbox,
    }),
  };
}

export const tfSetupValidateBody = z.object({
  state,
  // Digits for the built-in methods (checked once the setup's method is known); an app's
  // factor judges its own, and its approval-style pairing has none.
  code: z.string().max(64).optional(),
});
export const tfRememberedBody = z.object({ state: state.optional() });
export const mfRecoveryBody = z.object({
  state: state.optional(),
  code: z.string().min(1).max(64),
});

const builtInCode = z.object({ code });
const appCode = z.object({ code: z.string().trim().min(1).max(64) });

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
  setupCode(
    c: Context<HttpEnv>,
    setup: { method: SetupMethod; state: string; destination: string },
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
  const bodies = twoFactorBodies(ctx.factors);
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
      body: bodies.tfSetup,
      access: "factor-change",
      pendingWhen: (input) => !bodies.isDisable(input) && input.state !== undefined,
      continues: (input) => (bodies.isDisable(input) ? undefined : input.state),
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
      if (bodies.isDisable(input)) {
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
      // A secret to scan (an authenticator app) has its own page, and so does a code sent.
      if (pages && wantsHtml(c)) {
        if ("otpauthUri" in setup) {
          return pages.totpSetup(c, {
            uri: setup.otpauthUri,
            secret: setup.secret,
            qrSvg: setup.qrSvg,
            state: setup.state,
          });
        }
        if (isBuiltInSetupMethod(setup.method) && "destination" in setup && setup.destination) {
          return pages.setupCode(c, {
            method: setup.method,
            state: setup.state,
            destination: setup.destination,
          });
        }
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
        "TWO_FACTOR_APPROVAL_PENDING",
        "ROAMING_FACTOR_REQUIRED",
        "TWO_FACTOR_REQUIRED",
        "EMAIL_NOT_CONFIRMED",
        "RATE_LIMITED",
      ],
    },
    async (c, input, active) => {
      // A built-in method's code is its digits; an app's factor judges its own.
      const method = await setupMethodOf(ctx, input.state);
      const code =
        method === undefined || isBuiltInMethod(method) || input.code !== undefined
          ? parseInput(method === undefined || isBuiltInMethod(method) ? builtInCode : appCode, {
              code: input.code,
            }).code
          : undefined;
      const finished = await finishSetup(ctx, active, { state: input.state, code }, caller(c));
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
      body: bodies.tfSelect,
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
      if (wantsHtml(c)) {
        return seeOther(c, withNext(c, `${prefix}/tf-validate?method=${input.method}`));
      }
      if (input.method === "webauthn") {
        // The key's ceremony itself: finish it with POST /wan-signin-response {secondFactorState}.
        return c.json({
          method: "webauthn",
          webauthn: await startSignIn(ctx, { secondFactorState: pending }, caller(c)),
        });
      }
      return c.json({
        method: selected.method,
        prompt: selected.prompt,
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
      body: bodies.tfValidate,
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
        "TWO_FACTOR_APPROVAL_PENDING",
        "TWO_FACTOR_DENIED",
        "EMAIL_NOT_CONFIRMED",
      ],
    },
    async (c, input) => {
      // A built-in method's code is its digits; an app's factor judges its own.
      const typed =
        isBuiltInMethod(input.method) || input.code !== undefined
          ? parseInput(isBuiltInMethod(input.method) ? builtInCode : appCode, {
              code: input.code,
            }).code
          : undefined;
      const outcome = await validateSecondFactor(
        ctx,
        {
          ...input,
          code: typed,
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

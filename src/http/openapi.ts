import { z } from "zod";
import type { KeywardConfig } from "../config/schema.js";
import { ErrorCode } from "../core/errors.js";
import { secondFactorMethods } from "../factors/registry.js";
import type { Access } from "./route.js";
import { loginBody, registerBody, verifyBody } from "./routes/account.js";
import {
  changeEmailBody,
  changeEmailCompleteBody,
  changePasswordBodyFor,
  confirmEmailBody,
  recoverAccountBody,
  recoverAccountCompleteBody,
  resendConfirmationBody,
  resetCompleteBodyFor,
  resetPasswordBody,
  revokeSessionBody,
} from "./routes/lifecycle.js";
import {
  mfRecoveryBody,
  tfRememberedBody,
  tfSelectBody,
  tfSetupBody,
  tfSetupValidateBody,
  tfValidateBody,
} from "./routes/two-factor.js";
import {
  wanDeleteBody,
  wanRegisterBody,
  wanRegisterResponseBody,
  wanRenameBody,
  wanSigninBody,
  wanSigninResponseBody,
  wanVerifyResponseBody,
} from "./routes/webauthn.js";

/** One JSON operation: its request body is the very schema the route validates with. */
export interface ApiOperation {
  method: "get" | "post";
  path: string;
  summary: string;
  tag: "accounts" | "webauthn" | "two-factor" | "lifecycle" | "service";
  access: Access;
  body?: z.ZodType;
  /** Component name of the success body. */
  returns: string;
}

/**
 * Every JSON operation Keyward serves under the prefix (a test checks this against the routes).
 * Bodies whose bounds come from configuration are built for `config`.
 */
export function apiOperations(config: Pick<KeywardConfig, "accounts">): ApiOperation[] {
  const maxPassword = config.accounts.passwordMaxLength;
  return [
    {
      method: "post",
      path: "/register",
      summary: "Create an account and sign it in",
      tag: "accounts",
      access: "public",
      body: registerBody,
      returns: "SignedIn",
    },
    {
      method: "post",
      path: "/login",
      summary: "Sign in with a password",
      tag: "accounts",
      access: "public",
      body: loginBody,
      returns: "SignInResult",
    },
    {
      method: "post",
      path: "/logout",
      summary: "End the session",
      tag: "accounts",
      access: "public",
      returns: "Ok",
    },
    {
      method: "get",
      path: "/me",
      summary: "The signed-in user and session",
      tag: "accounts",
      access: "session",
      returns: "SignedIn",
    },
    {
      method: "post",
      path: "/verify",
      summary: "Re-verify the password to freshen the session",
      tag: "accounts",
      access: "session",
      body: verifyBody,
      returns: "SessionOnly",
    },
    {
      method: "get",
      path: "/csrf",
      summary: "A CSRF token for HTML forms",
      tag: "accounts",
      access: "public",
      returns: "CsrfToken",
    },
    {
      method: "post",
      path: "/wan-register",
      summary: "Creation options for a new key",
      tag: "webauthn",
      access: "factor-change",
      body: wanRegisterBody,
      returns: "CeremonyStart",
    },
    {
      method: "post",
      path: "/wan-register-response",
      summary: "Verify and store a new key",
      tag: "webauthn",
      access: "factor-change",
      body: wanRegisterResponseBody,
      returns: "CredentialResult",
    },
    {
      method: "post",
      path: "/wan-signin",
      summary: "Request options to sign in with a key",
      tag: "webauthn",
      access: "public",
      body: wanSigninBody,
      returns: "CeremonyStart",
    },
    {
      method: "post",
      path: "/wan-signin-response",
      summary: "Verify a key's assertion and sign in",
      tag: "webauthn",
      access: "public",
      body: wanSigninResponseBody,
      returns: "SignInResult",
    },
    {
      method: "post",
      path: "/wan-verify",
      summary: "Request options to re-verify with a key",
      tag: "webauthn",
      access: "session",
      returns: "CeremonyStart",
    },
    {
      method: "post",
      path: "/wan-verify-response",
      summary:
        "Verify the assertion; the session becomes fresh (a passkey with UV also restores a lapsed AAL2, with a new session cookie)",
      tag: "webauthn",
      access: "session",
      body: wanVerifyResponseBody,
      returns: "SessionOnly",
    },
    {
      method: "get",
      path: "/wan-signal",
      summary: "What the browser's passkey provider should know (WebAuthn Signal API)",
      tag: "webauthn",
      access: "session",
      returns: "PasskeySignals",
    },
    {
      method: "get",
      path: "/wan-credentials",
      summary: "The user's keys",
      tag: "webauthn",
      access: "session",
      returns: "CredentialList",
    },
    {
      method: "post",
      path: "/wan-rename",
      summary: "Rename a key",
      tag: "webauthn",
      access: "factor-change",
      body: wanRenameBody,
      returns: "CredentialResult",
    },
    {
      method: "post",
      path: "/wan-delete",
      summary: "Delete a key",
      tag: "webauthn",
      access: "factor-change",
      body: wanDeleteBody,
      returns: "KeyDeleted",
    },
    {
      method: "post",
      path: "/tf-setup",
      summary: "Start enrolling a second factor, or disable one",
      tag: "two-factor",
      access: "factor-change",
      body: tfSetupBody,
      returns: "Object",
    },
    {
      method: "post",
      path: "/tf-setup-validate",
      summary: "Finish enrolling with a code",
      tag: "two-factor",
      access: "factor-change",
      body: tfSetupValidateBody,
      returns: "Object",
    },
    {
      method: "get",
      path: "/tf-status",
      summary: "The user's second factors and warnings",
      tag: "two-factor",
      access: "session",
      returns: "Object",
    },
    {
      method: "post",
      path: "/tf-select",
      summary: "Choose the second factor for a pending sign-in",
      tag: "two-factor",
      access: "public",
      body: tfSelectBody,
      returns: "Object",
    },
    {
      method: "post",
      path: "/tf-validate",
      summary: "Complete a pending sign-in with a code",
      tag: "two-factor",
      access: "public",
      body: tfValidateBody,
      returns: "SignInResult",
    },
    {
      method: "post",
      path: "/tf-remembered",
      summary: "Complete a pending sign-in on a remembered device",
      tag: "two-factor",
      access: "public",
      body: tfRememberedBody,
      returns: "SignInResult",
    },
    {
      method: "post",
      path: "/mf-recovery-codes",
      summary: "Generate recovery codes (shown once)",
      tag: "two-factor",
      access: "factor-change",
      returns: "Object",
    },
    {
      method: "post",
      path: "/mf-recovery",
      summary: "Complete a pending sign-in with a recovery code",
      tag: "two-factor",
      access: "public",
      body: mfRecoveryBody,
      returns: "SignInResult",
    },
    {
      method: "post",
      path: "/confirm-email",
      summary: "Confirm the email address with the mailed token",
      tag: "lifecycle",
      access: "public",
      body: confirmEmailBody,
      returns: "Object",
    },
    {
      method: "post",
      path: "/confirm-email/resend",
      summary: "Mail a new confirmation link",
      tag: "lifecycle",
      access: "public",
      body: resendConfirmationBody,
      returns: "Ok",
    },
    {
      method: "post",
      path: "/reset-password",
      summary: "Mail a password reset link (same answer for any address)",
      tag: "lifecycle",
      access: "public",
      body: resetPasswordBody,
      returns: "Ok",
    },
    {
      method: "post",
      path: "/reset-password/complete",
      summary: "Set a new password with the mailed token",
      tag: "lifecycle",
      access: "public",
      body: resetCompleteBodyFor(maxPassword),
      returns: "SignInResult",
    },
    {
      method: "post",
      path: "/recover-account",
      summary: "Mail an account recovery link (same answer for any address)",
      tag: "lifecycle",
      access: "public",
      body: recoverAccountBody,
      returns: "Ok",
    },
    {
      method: "post",
      path: "/recover-account/complete",
      summary: "Open a limited session that can only add a key",
      tag: "lifecycle",
      access: "public",
      body: recoverAccountCompleteBody,
      returns: "Object",
    },
    {
      method: "post",
      path: "/change-password",
      summary: "Change the password; other sessions end",
      tag: "lifecycle",
      access: "factor-change",
      body: changePasswordBodyFor(maxPassword),
      returns: "Object",
    },
    {
      method: "post",
      path: "/change-email",
      summary: "Mail a confirmation link to a new address",
      tag: "lifecycle",
      access: "factor-change",
      body: changeEmailBody,
      returns: "Ok",
    },
    {
      method: "post",
      path: "/change-email/complete",
      summary: "Switch to the confirmed new address",
      tag: "lifecycle",
      access: "session",
      body: changeEmailCompleteBody,
      returns: "Object",
    },
    {
      method: "post",
      path: "/sign-out-everywhere",
      summary: "End every session of the user",
      tag: "lifecycle",
      access: "session",
      returns: "Object",
    },
    {
      method: "get",
      path: "/sessions",
      summary: "The user's active sessions",
      tag: "lifecycle",
      access: "session",
      returns: "Object",
    },
    {
      method: "post",
      path: "/sessions/revoke",
      summary: "End one of the user's sessions",
      tag: "lifecycle",
      access: "session",
      body: revokeSessionBody,
      returns: "Object",
    },
    {
      method: "get",
      path: "/health",
      summary: "200 when the database (and Redis) answer",
      tag: "service",
      access: "public",
      returns: "Health",
    },
    {
      method: "get",
      path: "/openapi.json",
      summary: "This document",
      tag: "service",
      access: "public",
      returns: "Object",
    },
  ];
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return rest;
}

const components = {
  Error: {
    type: "object",
    required: ["error"],
    properties: {
      error: {
        type: "object",
        required: ["code", "message"],
        properties: {
          code: { type: "string", enum: Object.values(ErrorCode) },
          message: { type: "string" },
          details: { type: "object" },
        },
      },
    },
  },
  User: {
    type: "object",
    properties: {
      id: { type: "string" },
      email: { type: "string" },
      username: { type: ["string", "null"] },
      hasPassword: { type: "boolean" },
      emailConfirmed: { type: "boolean" },
      createdAt: { type: "string", format: "date-time" },
    },
  },
  Session: {
    type: "object",
    properties: {
      aal: {
        type: "integer",
        enum: [1, 2],
        description:
          "The assurance held now: AAL2 lapses to 1 after session.aal2MaxAge or session.aal2IdleTimeout (REAUTHENTICATION_REQUIRED where AAL2 is needed)",
      },
      amr: { type: "array", items: { type: "string" } },
      uv: { type: "boolean" },
      fresh: { type: "boolean" },
      limited: {
        type: "string",
        enum: ["recovery"],
        description: "A recovery session that may only add a key",
      },
      createdAt: { type: "string", format: "date-time" },
      expiresAt: { type: "string", format: "date-time" },
    },
  },
  SignedIn: {
    type: "object",
    properties: {
      user: ref("User"),
      session: ref("Session"),
      emailConfirmationRequired: {
        type: "boolean",
        description: 'Sign-up with lifecycle.confirmEmail "required": no session until confirmed',
      },
    },
  },
  SessionOnly: { type: "object", properties: { session: ref("Session") } },
  SecondFactorOwed: {
    type: "object",
    required: ["twoFactorRequired", "methods", "state"],
    properties: {
      twoFactorRequired: { const: true },
      methods: {
        type: "array",
        items: { type: "string", enum: secondFactorMethods },
      },
      state: { type: "string" },
      setupRequired: { type: "boolean" },
    },
  },
  SignInResult: { oneOf: [ref("SignedIn"), ref("SecondFactorOwed")] },
  CeremonyStart: {
    type: "object",
    required: ["options", "state"],
    properties: {
      options: {
        type: "object",
        description:
          "PublicKeyCredentialCreationOptionsJSON or PublicKeyCredentialRequestOptionsJSON",
      },
      state: { type: "string" },
    },
  },
  Credential: {
    type: "object",
    properties: {
      id: { type: "string" },
      credentialId: { type: "string" },
      name: { type: "string" },
      usage: { type: "string", enum: ["first", "secondary"] },
      transports: { type: "array", items: { type: "string" } },
      synced: { type: "boolean" },
      deviceType: { type: "string", enum: ["singleDevice", "multiDevice"] },
      aaguid: { type: "string" },
      authenticatorName: { type: ["string", "null"] },
      createdAt: { type: "string", format: "date-time" },
      lastUsedAt: { type: ["string", "null"], format: "date-time" },
      flags: { type: "array", items: { type: "string" } },
    },
  },
  CredentialResult: { type: "object", properties: { credential: ref("Credential") } },
  KeyDeleted: {
    type: "object",
    properties: {
      credential: ref("Credential"),
      signedOut: {
        type: "boolean",
        description:
          "True when the key had earned the session that deleted it: that session ended too",
      },
    },
  },
  CredentialList: {
    type: "object",
    properties: { credentials: { type: "array", items: ref("Credential") } },
  },
  PasskeySignals: {
    type: "object",
    required: ["rpId", "userId", "allAcceptedCredentialIds", "name", "displayName"],
    properties: {
      rpId: { type: "string" },
      userId: { type: "string", description: "WebAuthn user handle, base64url" },
      allAcceptedCredentialIds: { type: "array", items: { type: "string" } },
      name: { type: "string" },
      displayName: { type: "string" },
    },
  },
  CsrfToken: { type: "object", properties: { csrfToken: { type: "string" } } },
  Ok: { type: "object", properties: { ok: { const: true } } },
  Health: { type: "object", properties: { status: { const: "ok" } } },
  Object: { type: "object" },
};

/** The OpenAPI 3.1 document of the JSON API, for a given configuration (prefix, RP, bounds). */
export function openApiDocument(
  config: Pick<KeywardConfig, "prefix" | "rp" | "accounts">,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of apiOperations(config)) {
    const errorResponse = {
      description: "Refused: see the error code",
      content: { "application/json": { schema: ref("Error") } },
    };
    paths[`${config.prefix}${op.path}`] ??= {};
    paths[`${config.prefix}${op.path}`]![op.method] = {
      operationId: `${op.method}${op.path.replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
      summary: op.summary,
      tags: [op.tag],
      ...(op.access === "public" ? {} : { security: [{ session: [] }] }),
      ...(op.access === "fresh"
        ? { description: "Needs a fresh session (FRESHNESS_REQUIRED otherwise)." }
        : {}),
      ...(op.access === "factor-change"
        ? {
            description:
              "Changes how the account signs in: needs a fresh session at the highest assurance level the account can reach (AAL_REQUIRED or FRESHNESS_REQUIRED otherwise).",
          }
        : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: {
                "application/json": { schema: jsonSchema(op.body) },
                "application/x-www-form-urlencoded": { schema: jsonSchema(op.body) },
              },
            },
          }
        : {}),
      responses: {
        "200": {
          description: "Success",
          content: { "application/json": { schema: ref(op.returns) } },
        },
        "4XX": errorResponse,
        "503": errorResponse,
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: `${config.rp.name} authentication API (Keyward)`,
      version: "1",
      description: "JSON API of Keyward. Errors are {error: {code, message}} with a stable code.",
    },
    tags: [
      { name: "accounts" },
      { name: "webauthn" },
      { name: "two-factor" },
      { name: "lifecycle" },
      { name: "service" },
    ],
    paths,
    components: {
      schemas: components,
      securitySchemes: { session: { type: "apiKey", in: "cookie", name: "keyward_session" } },
    },
  };
}

import { z } from "zod";
import { ErrorCode } from "../core/errors.js";
import { setupMethods } from "../factors/registry.js";

/**
 * The JSON bodies the routes answer with, declared once: the OpenAPI document's components
 * are made from these schemas, and the browser client's types are inferred from them (type
 * imports only, so the bundle carries no zod). Objects are strict so that a test parsing a
 * real answer fails when the server sends a field the declaration lacks.
 */
export const responseSchemas = z.registry<{ id: string }>();

function named<S extends z.ZodType>(id: string, schema: S): S {
  responseSchemas.add(schema, { id });
  return schema;
}

const dateTime = z.string().meta({ format: "date-time" });

export const UserJson = named(
  "User",
  z.strictObject({
    id: z.string(),
    email: z.string(),
    username: z.string().nullable(),
    hasPassword: z.boolean(),
    createdAt: dateTime,
    emailConfirmed: z.boolean(),
  }),
);

export const amrValues = [
  "pwd",
  "hwk",
  "swk",
  "mfa",
  "user",
  "pin",
  "otp",
  "sms",
  "email",
  "rc",
  "mca",
  "tel",
  "remembered",
] as const;

export const SessionJson = named(
  "Session",
  z.strictObject({
    aal: z.union([z.literal(1), z.literal(2)]).meta({
      description:
        "The assurance held now: AAL2 lapses to 1 after session.aal2MaxAge or session.aal2IdleTimeout (REAUTHENTICATION_REQUIRED where AAL2 is needed)",
    }),
    amr: z.array(z.enum(amrValues)),
    uv: z.boolean(),
    fresh: z.boolean(),
    createdAt: dateTime,
    expiresAt: dateTime,
    limited: z
      .literal("recovery")
      .optional()
      .meta({ description: "A recovery session that may only add a key" }),
  }),
);

/** The session's bearer token, for a client that asked for one (session.bearer). */
const bearerToken = z.string().optional().meta({
  description:
    'The session as a bearer token, for a client that asked for one ("session": "token"): send it as Authorization: Bearer; no cookie is set',
});

export const SignedInJson = named(
  "SignedIn",
  z.strictObject({
    user: UserJson,
    session: SessionJson.optional(),
    emailConfirmationRequired: z.literal(true).optional().meta({
      description: 'Sign-up with lifecycle.confirmEmail "required": no session until confirmed',
    }),
    nextStep: z.enum(["add-passkey", "set-password"]).optional().meta({
      description:
        "A passwordless sign-up has no way to sign in again yet: add a passkey (or set a password) now",
    }),
    token: bearerToken,
  }),
);

export const SessionOnlyJson = named(
  "SessionOnly",
  z.strictObject({
    session: SessionJson,
    token: z.string().optional().meta({
      description:
        "A bearer client's session under its new id (a reauthentication): send this token from now on",
    }),
  }),
);

export const SecondFactorOwedJson = named(
  "SecondFactorOwed",
  z.strictObject({
    twoFactorRequired: z.literal(true),
    methods: z.array(
      z.string().meta({
        description:
          "A second-factor method: webauthn, totp, sms, email, recovery, or the name of one of the app's own factors",
      }),
    ),
    state: z.string(),
    setupRequired: z.boolean().optional(),
    setupMethods: z.array(z.enum(setupMethods)).optional().meta({
      description:
        "With setupRequired: the methods this sign-in may enrol (POST /tf-setup with the state), those twoFactor.methods lists",
    }),
    pendingToken: z.string().optional().meta({
      description:
        "For a bearer client: send it as Authorization: Bearer on the requests that continue this sign-in (it binds the state to this client)",
    }),
  }),
);

export const SignInResultJson = named(
  "SignInResult",
  z.union([SignedInJson, SecondFactorOwedJson]),
);

export const CeremonyStartJson = named(
  "CeremonyStart",
  z.strictObject({
    options: z.record(z.string(), z.unknown()).meta({
      description:
        "PublicKeyCredentialCreationOptionsJSON or PublicKeyCredentialRequestOptionsJSON",
    }),
    state: z.string(),
  }),
);

export const CodeSignInStartJson = named(
  "CodeSignInStart",
  z.strictObject({
    state: z.string().meta({
      description: "Send it back with the code to POST /code-signin-validate",
    }),
    channel: z.enum(["email", "sms"]),
    expiresAt: dateTime,
  }),
);

export const CredentialJson = named(
  "Credential",
  z.strictObject({
    id: z.string(),
    credentialId: z.string(),
    name: z.string(),
    usage: z.enum(["first", "secondary"]),
    transports: z.array(z.string()),
    synced: z.boolean(),
    backup: z.enum(["synced", "not-backed-up", "device-bound"]).meta({
      description:
        "synced: backed up to a passkey provider (BE and BS); not-backed-up: could be synced but is not now (BE without BS); device-bound: never leaves its authenticator (no BE). BS is refreshed at every use",
    }),
    createdBy: z.enum(["user", "upgrade"]).meta({
      description:
        "upgrade: made by the browser's password manager right after a password sign-in (automatic passkey upgrade, POST /wan-upgrade); user: added by the user",
    }),
    deviceType: z.enum(["singleDevice", "multiDevice"]),
    aaguid: z.string(),
    authenticatorName: z.string().nullable(),
    createdAt: dateTime,
    lastUsedAt: dateTime.nullable(),
    flags: z.array(z.string()),
  }),
);

export const CredentialResultJson = named(
  "CredentialResult",
  z.strictObject({
    credential: CredentialJson,
    recoveryCodes: z.array(z.string()).optional().meta({
      description:
        "Issued once with a second-factor key when the account had no recovery codes left: show them now",
    }),
  }),
);

export const KeyRegisteredJson = named(
  "KeyRegistered",
  z.union([CredentialResultJson, SignedInJson]).meta({
    description:
      "CredentialResult for a session's new key (201); SignedIn when the key completed a sign-in that had to enrol it (200)",
  }),
);

export const KeyDeletedJson = named(
  "KeyDeleted",
  z.strictObject({
    credential: CredentialJson,
    signedOut: z.boolean().meta({
      description:
        "True when the key had earned the session that deleted it: that session ended too",
    }),
    twoFactorDisabled: z.boolean().meta({
      description: "True when this was the last second factor: two-step verification is off",
    }),
    leftWithoutSignIn: z.boolean().meta({
      description: "True when the account has no way to sign in left (confirmed by the caller)",
    }),
  }),
);

export const CredentialListJson = named(
  "CredentialList",
  z.strictObject({ credentials: z.array(CredentialJson) }),
);

export const PasskeySignalsJson = named(
  "PasskeySignals",
  z.strictObject({
    rpId: z.string(),
    userId: z.string().meta({ description: "WebAuthn user handle, base64url" }),
    allAcceptedCredentialIds: z.array(z.string()),
    name: z.string(),
    displayName: z.string(),
  }),
);

export const CsrfTokenJson = named("CsrfToken", z.strictObject({ csrfToken: z.string() }));

export const OkJson = named("Ok", z.strictObject({ ok: z.literal(true) }));

export const OkUserJson = named("OkUser", z.strictObject({ ok: z.literal(true), user: UserJson }));

export const SessionsEndedJson = named(
  "SessionsEnded",
  z.strictObject({
    ok: z.literal(true),
    sessionsRevoked: z.number().int().meta({ description: "How many sessions ended" }),
  }),
);

export const SessionRevokedJson = named(
  "SessionRevoked",
  z.strictObject({
    ok: z.literal(true),
    current: z.boolean().meta({ description: "The session revoked was this one (signed out)" }),
  }),
);

export const SessionListJson = named(
  "SessionList",
  z.strictObject({
    sessions: z.array(
      z.strictObject({
        id: z.string(),
        current: z.boolean(),
        device: z.string().nullable(),
        userAgent: z.string().nullable(),
        ip: z.string().nullable(),
        createdAt: dateTime,
        lastSeenAt: dateTime,
        expiresAt: dateTime,
        aal: z.union([z.literal(1), z.literal(2)]),
        amr: z.array(z.enum(amrValues)),
        limited: z.literal("recovery").optional(),
      }),
    ),
  }),
);

export const RecoveryCodesJson = named(
  "RecoveryCodes",
  z.strictObject({
    codes: z.array(z.string()).meta({ description: "Shown once: only their hashes are kept" }),
    count: z.number().int(),
  }),
);

export const HealthJson = named(
  "Health",
  z.strictObject({
    status: z.literal("ok"),
    database: z.literal("ok"),
    /** Present when Redis is configured. */
    redis: z.literal("ok").optional(),
  }),
);

/** A body this document does not detail (second-factor set-up and status, the document itself). */
export const ObjectJson = named("Object", z.record(z.string(), z.unknown()));

export const ErrorJson = named(
  "Error",
  z.strictObject({
    error: z.strictObject({
      code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
);

/** Each body's type, under the name of its schema: what http/ sends and keyward/browser reads. */
export type UserJson = z.output<typeof UserJson>;
export type SessionJson = z.output<typeof SessionJson>;
export type SignedInJson = z.output<typeof SignedInJson>;
export type SessionOnlyJson = z.output<typeof SessionOnlyJson>;
export type SecondFactorOwedJson = z.output<typeof SecondFactorOwedJson>;
export type SignInResultJson = z.output<typeof SignInResultJson>;
export type CeremonyStartJson = z.output<typeof CeremonyStartJson>;
export type CodeSignInStartJson = z.output<typeof CodeSignInStartJson>;
export type CredentialJson = z.output<typeof CredentialJson>;
export type CredentialResultJson = z.output<typeof CredentialResultJson>;
export type KeyRegisteredJson = z.output<typeof KeyRegisteredJson>;
export type KeyDeletedJson = z.output<typeof KeyDeletedJson>;
export type CredentialListJson = z.output<typeof CredentialListJson>;
export type PasskeySignalsJson = z.output<typeof PasskeySignalsJson>;
export type CsrfTokenJson = z.output<typeof CsrfTokenJson>;
export type OkJson = z.output<typeof OkJson>;
export type OkUserJson = z.output<typeof OkUserJson>;
export type SessionsEndedJson = z.output<typeof SessionsEndedJson>;
export type SessionRevokedJson = z.output<typeof SessionRevokedJson>;
export type SessionListJson = z.output<typeof SessionListJson>;
export type RecoveryCodesJson = z.output<typeof RecoveryCodesJson>;
export type HealthJson = z.output<typeof HealthJson>;
export type ObjectJson = z.output<typeof ObjectJson>;
export type ErrorJson = z.output<typeof ErrorJson>;

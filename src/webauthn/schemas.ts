import { z } from "zod";

// Generous bounds: real responses are a few kilobytes; attestation with certificate chains ~10 kB.
// Some clients pad base64url with "="; the padding is dropped so ids compare as stored.
const b64url = (max: number, min = 0) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]*={0,2}$/, "must be base64url")
    .transform((value) => value.replace(/=+$/, ""));

/**
 * An optional member that real clients send as `null` (or, for bytes, as `""`) when they have
 * nothing to say: Flask-Security's webauthn.js sends `transports: null` where the browser lacks
 * `getTransports()` and `userHandle: ""` whenever the key returned none; some `toJSON()`
 * implementations write `authenticatorAttachment: null`. Each means "absent", and is read as
 * such; whether absence is acceptable stays the flow's decision (a usernameless sign-in still
 * needs a user handle).
 */
const absentWhenNull = <T extends z.ZodType>(schema: T) =>
  z
    .union([schema, z.null()])
    .optional()
    .transform((value) => (value === null ? undefined : value));
/** Bytes that may be sent empty to mean "none" (base64url of no bytes is ""). */
const absentWhenEmpty = (max: number) =>
  z
    .union([b64url(max, 1), z.literal(""), z.null()])
    .optional()
    .transform((value) => (value === null || value === "" ? undefined : value));

// Flask-Security sends no clientExtensionResults (its `extensions` is a JSON string, ignored).
const clientExtensionResults = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((value) => value ?? {});
const attachment = absentWhenNull(z.enum(["platform", "cross-platform"]));

/** A RegistrationResponseJSON, as `PublicKeyCredential.toJSON()` or @simplewebauthn/browser sends it. */
export const registrationResponseSchema = z.object({
  id: b64url(1400, 1),
  rawId: b64url(1400, 1),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64url(4096, 1),
    attestationObject: b64url(65536, 1),
    authenticatorData: absentWhenEmpty(8192),
    transports: absentWhenNull(z.array(z.string().max(32)).max(16)),
    publicKeyAlgorithm: absentWhenNull(z.number().int()),
    publicKey: absentWhenEmpty(4096),
  }),
  authenticatorAttachment: attachment,
  clientExtensionResults,
});

/** An AuthenticationResponseJSON. */
export const authenticationResponseSchema = z.object({
  id: b64url(1400, 1),
  rawId: b64url(1400, 1),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64url(4096, 1),
    authenticatorData: b64url(8192, 1),
    signature: b64url(2048, 1),
    userHandle: absentWhenEmpty(128),
  }),
  authenticatorAttachment: attachment,
  clientExtensionResults,
});

/**
 * A credential field: the response as a JSON object, or as a string holding one. Flask-Security's
 * webauthn.js form-posts `credential` as a JSON string (a form field holds text), and some
 * clients send the same in a JSON body. The string is parsed here, once, for every route that
 * takes a credential, and the same validation follows; a string that is not JSON is refused
 * (INVALID_INPUT) before any state is spent.
 */
function credentialField<T extends z.ZodType>(schema: T) {
  return z.preprocess((value, ctx) => {
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({
        code: "custom",
        message: "must be a JSON object, or a string holding one",
        input: value,
      });
      return z.NEVER;
    }
  }, schema);
}

/** The `credential` of /wan-register-response. */
export const registrationCredential = credentialField(registrationResponseSchema);
/** The `credential` of /wan-signin-response and /wan-verify-response. */
export const authenticationCredential = credentialField(authenticationResponseSchema);

export type RegistrationResponse = z.output<typeof registrationResponseSchema>;
export type AuthenticationResponse = z.output<typeof authenticationResponseSchema>;

export const usageSchema = z.enum(["first", "secondary"]);

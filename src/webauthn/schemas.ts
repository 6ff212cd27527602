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

const clientExtensionResults = z.record(z.string(), z.unknown()).default({});
const attachment = z.enum(["platform", "cross-platform"]).optional();

/** A RegistrationResponseJSON, as `PublicKeyCredential.toJSON()` or @simplewebauthn/browser sends it. */
export const registrationResponseSchema = z.object({
  id: b64url(1400, 1),
  rawId: b64url(1400, 1),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64url(4096, 1),
    attestationObject: b64url(65536, 1),
    authenticatorData: b64url(8192).optional(),
    transports: z.array(z.string().max(32)).max(16).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url(4096).optional(),
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
    userHandle: b64url(128).optional(),
  }),
  authenticatorAttachment: attachment,
  clientExtensionResults,
});

export type RegistrationResponse = z.output<typeof registrationResponseSchema>;
export type AuthenticationResponse = z.output<typeof authenticationResponseSchema>;

export const usageSchema = z.enum(["first", "secondary"]);

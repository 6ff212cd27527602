import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { verifyRegistrationResponse } from "@simplewebauthn/server";
import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError, UniqueViolationError } from "../core/errors.js";
import type { Usage } from "../core/types.js";
import { consumeCeremony, startCeremony } from "../session/ceremony-state.js";
import type { ActiveSession, ClientInfo } from "../session/sessions.js";
import { refuseCrossOrigin, verificationFailed } from "./client-data.js";
import type { RegistrationResponse } from "./schemas.js";
import { type CredentialView, toCredentialView } from "./view.js";

// WebAuthn §5.1.3: credential ids longer than 1023 bytes must be refused.
const MAX_CREDENTIAL_ID_BYTES = 1023;

/** Step 1: creation options for a new key of `usage`, named `name`, for the signed-in user. */
export async function startRegistration(
  ctx: KeywardContext,
  active: ActiveSession,
  input: { name: string; usage: Usage },
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; state: string }> {
  if (input.usage === "first" && !ctx.config.webauthn.allowAsFirstFactor) {
    throw new KeywardError(
      ErrorCode.WEBAUTHN_USAGE_NOT_ALLOWED,
      "Keys may not be used to sign in here.",
    );
  }
  ctx.sessions.requireFresh(active.session);
  const name = ctx.webauthnUtil.sanitizeName(input.name);
  const existing = await ctx.store.credentials.listForUser(active.user.id);
  if (existing.some((key) => key.name === name)) {
    throw new KeywardError(
      ErrorCode.WEBAUTHN_NAME_TAKEN,
      `You already have a key named "${name}".`,
    );
  }
  const options = await ctx.webauthnUtil.registrationOptions(active.user, input.usage, existing);
  const state = await startCeremony(ctx, {
    kind: "register",
    userId: active.user.id,
    sessionId: active.session.id,
    challenge: options.challenge,
    usage: input.usage,
    name,
    data: { userVerification: options.authenticatorSelection?.userVerification ?? "preferred" },
    ttlMs: ctx.config.webauthn.registerWithin,
  });
  return { options, state };
}

/** Step 2: verify the authenticator's response and store the key. */
export async function finishRegistration(
  ctx: KeywardContext,
  active: ActiveSession,
  input: { state: string; credential: RegistrationResponse },
  request: Request,
  client: ClientInfo,
): Promise<CredentialView> {
  // Registration state is bound to the session that asked for it (and so to its user).
  const ceremony = await consumeCeremony(ctx, input.state, {
    kind: "register",
    sessionId: active.session.id,
  });
  const { credential } = input;
  refuseCrossOrigin(credential.response.clientDataJSON);
  if (Buffer.from(credential.rawId, "base64url").length > MAX_CREDENTIAL_ID_BYTES) {
    throw new KeywardError(
      ErrorCode.WEBAUTHN_VERIFICATION_FAILED,
      "The credential id is too long.",
    );
  }

  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response: credential,
      expectedChallenge: ceremony.challenge ?? "",
      expectedOrigin: ctx.webauthnUtil.origins(request),
      expectedRPID: ctx.webauthnUtil.rpId(),
      requireUserPresence: true,
      requireUserVerification: ceremony.data.userVerification === "required",
      supportedAlgorithmIDs: ctx.webauthnUtil.supportedAlgorithmIds(),
    });
  } catch (error) {
    throw verificationFailed(error);
  }
  if (!verified.verified) throw verificationFailed("the attestation did not verify");
  const info = verified.registrationInfo;

  try {
    return await ctx.store.transaction(async (store) => {
      const stored = await store.credentials.create({
        userId: active.user.id,
        credentialId: info.credential.id,
        publicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
        signCount: info.credential.counter,
        transports: info.credential.transports ?? [],
        backupEligible: info.credentialDeviceType === "multiDevice",
        backupState: info.credentialBackedUp,
        deviceType: info.credentialDeviceType,
        aaguid: info.aaguid,
        attestationFormat: info.fmt,
        name: ceremony.name ?? "Key",
        usage: ceremony.usage ?? "secondary",
      });
      await ctx.events.record(
        store.events,
        "webauthn.registered",
        { userId: active.user.id, ip: client.ip },
        {
          credentialId: stored.credentialId,
          name: stored.name,
          usage: stored.usage,
          aaguid: stored.aaguid,
        },
      );
      return toCredentialView(stored);
    });
  } catch (error) {
    if (error instanceof UniqueViolationError) {
      throw error.constraint?.includes("credential_id")
        ? new KeywardError(ErrorCode.WEBAUTHN_CREDENTIAL_EXISTS, "This key is already registered.")
        : new KeywardError(ErrorCode.WEBAUTHN_NAME_TAKEN, "You already have a key with that name.");
    }
    throw error;
  }
}

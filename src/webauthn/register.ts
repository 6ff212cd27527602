import type {
  PublicKeyCredentialCreationOptionsJSON,
  VerifiedRegistrationResponse,
} from "@simplewebauthn/server";
import type { KeywardContext, UnitOfWork } from "../context.js";
import type { ActiveSession, Caller } from "../core/caller.js";
import { ErrorCode, KeywardError, UniqueViolationError } from "../core/errors.js";
import {
  type CeremonyOf,
  type Credential,
  PASSKEY_UPGRADE,
  USER_VERIFYING,
  type Usage,
} from "../core/types.js";
import { isKeyUsageEnabled } from "../factors/methods.js";
import { replaceRecoveryCodes } from "../factors/recovery.js";
import { consumeCeremony, startCeremony } from "../session/ceremony-state.js";
import { authenticatorName } from "./aaguid.js";
import { refuseCrossOrigin, verificationFailed } from "./client-data.js";
import { webauthnLibrary } from "./library.js";
import type { RegistrationResponse } from "./schemas.js";
import { refuseClosedUpgrade } from "./upgrade.js";
import type { KeyPlacement } from "./util.js";
import { type CredentialView, toCredentialView } from "./view.js";

// WebAuthn §5.1.3: credential ids longer than 1023 bytes must be refused.
const MAX_CREDENTIAL_ID_BYTES = 1023;

/** A key of a usage that is turned off could never be used, so it is not registered at all. */
export function refuseDisabledUsage(ctx: KeywardContext, usage: Usage): void {
  if (!isKeyUsageEnabled(ctx, usage)) {
    throw new KeywardError(
      ErrorCode.WEBAUTHN_USAGE_NOT_ALLOWED,
      usage === "first"
        ? "Keys may not be used to sign in here."
        : "Keys are not a second factor here.",
      { usage },
    );
  }
}

/**
 * Step 1: creation options for a new key of `usage`, named `name`, for the signed-in user.
 * Without a name, the key is named when it is stored (see defaultKeyName).
 * `attachment` says where the user wants the key (this device, a security key or a phone);
 * WebauthnUtil.authenticatorSelection and hints decide what is asked for.
 */
export async function startRegistration(
  ctx: KeywardContext,
  active: ActiveSession,
  input: {
    name?: string | undefined;
    usage: Usage;
    attachment?: KeyPlacement | undefined;
  },
  caller: Caller,
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; state: string }> {
  refuseDisabledUsage(ctx, input.usage);
  const { name, existing } = await roomForNewKey(ctx, active.user.id, input.name);
  const options = await ctx.webauthnUtil.registrationOptions(
    active.user,
    input.usage,
    existing,
    input.attachment,
  );
  const state = await startCeremony(
    ctx,
    {
      kind: "register",
      userId: active.user.id,
      sessionId: active.session.id,
      challenge: options.challenge,
      usage: input.usage,
      name,
      data: { userVerification: options.authenticatorSelection?.userVerification ?? "preferred" },
      ttlMs: ctx.config.webauthn.registerWithin,
    },
    { ip: caller.client.ip, holder: active.user.id },
  );
  return { options, state };
}

export interface RegisteredKey {
  credential: CredentialView;
  /**
   * A first set of recovery codes, when a second-factor key arrives and the user has none
   * left (as with the first authenticator app): shown this once.
   */
  recoveryCodes?: string[];
}

/** Step 2: verify the authenticator's response and store the key. */
export async function finishRegistration(
  ctx: KeywardContext,
  active: ActiveSession,
  input: { state: string; credential: RegistrationResponse },
  caller: Caller,
): Promise<RegisteredKey> {
  // Registration state is bound to the session that asked for it (and so to its user).
  const ceremony = await consumeCeremony(ctx, input.state, {
    kind: "register",
    sessionId: active.session.id,
  });
  const usage = ceremony.usage ?? "secondary";
  // Only a state that startPasskeyUpgrade issued (to this session, right after its password
  // sign-in) accepts a key made without user presence: a conditional create (WebAuthn L3).
  const upgrade = ceremony.data.upgrade === true && usage === "first";
  const info = await verifyNewKey(ctx, ceremony, input.credential, caller, {
    requireUserPresence: !upgrade,
  });

  return retryingDefaultName(ceremony.name !== null, () =>
    ctx.transaction(async (tx) => {
      // Checked again here: several registrations may have started below the limit.
      const existing = await tx.credentials.listForUser(active.user.id);
      refusePastKeyLimit(ctx, existing);
      // A key without user presence only while the upgrade is still open (upgrade.ts).
      if (upgrade) refuseClosedUpgrade(ctx, active, existing);
      const stored = await storeNewKey(
        ctx,
        tx,
        { userId: active.user.id, name: ceremony.name, usage, info, upgrade, existing },
        caller,
      );
      // Whoever turns on a second factor gets recovery codes with it, in the same flow (the
      // session that just added it could not generate them at AAL1 on its own).
      const recoveryCodes =
        usage === "secondary" && (await tx.recoveryCodes.countUnused(active.user.id)) === 0
          ? await replaceRecoveryCodes(
              ctx,
              tx,
              { userId: active.user.id, keepSessionId: active.session.id },
              caller,
            )
          : undefined;
      return {
        credential: toCredentialView(stored, ctx.authenticatorNames),
        ...(recoveryCodes ? { recoveryCodes } : {}),
      };
    }),
  );
}

/** What the library attested of a new key. */
export type NewKeyInfo = NonNullable<VerifiedRegistrationResponse["registrationInfo"]>;

/**
 * The authenticator's response to a register state (spent by the caller), verified against
 * it (§7.1): what the new key will store. Refuses a usage turned off, another origin, an
 * over-long or mismatched credential id, an attestation format not accepted, and, unless
 * `requireUserPresence` is false (an automatic upgrade only), a response without UP.
 */
export async function verifyNewKey(
  ctx: KeywardContext,
  ceremony: CeremonyOf<"register">,
  credential: RegistrationResponse,
  caller: Caller,
  options: { requireUserPresence: boolean },
): Promise<NewKeyInfo> {
  // Checked again: the state may come from an instance configured otherwise.
  refuseDisabledUsage(ctx, ceremony.usage ?? "secondary");
  await refuseCrossOrigin(credential.response.clientDataJSON);
  // Checked again on the attested id below; refusing here spares the verification's work.
  refuseLongCredentialId(credential.rawId);

  const { verifyRegistrationResponse } = (await webauthnLibrary()).server;
  let verified: VerifiedRegistrationResponse;
  try {
    verified = await verifyRegistrationResponse({
      response: credential,
      expectedChallenge: ceremony.challenge ?? "",
      expectedOrigin: ctx.webauthnUtil.origins(caller.request),
      expectedRPID: ctx.webauthnUtil.rpId(),
      requireUserPresence: options.requireUserPresence,
      requireUserVerification: ceremony.data.userVerification === "required",
      supportedAlgorithmIDs: ctx.webauthnUtil.supportedAlgorithmIds(),
    });
  } catch (error) {
    throw verificationFailed(error);
  }
  if (!verified.verified) throw verificationFailed("the attestation did not verify");
  const info = verified.registrationInfo;
  // The library checks id === rawId but not that they name the attested credential, and the
  // attested id is what is stored and later looked up: all three must be one id (§7.1).
  if (info.credential.id !== credential.id) {
    throw new KeywardError(
      ErrorCode.WEBAUTHN_VERIFICATION_FAILED,
      "The credential id does not match the one in the authenticator data.",
    );
  }
  refuseLongCredentialId(info.credential.id);
  if (!ctx.webauthnUtil.attestationFormatAllowed(info.fmt)) {
    throw new KeywardError(
      ErrorCode.WEBAUTHN_VERIFICATION_FAILED,
      `Keys attested as "${info.fmt}" are not accepted here.`,
    );
  }
  return info;
}

/**
 * Stores a verified key on `tx`, named as its state asked (or after its model), and records
 * `webauthn.registered` in the same unit of work. `existing`: the user's keys, read on `tx`.
 */
export async function storeNewKey(
  ctx: KeywardContext,
  tx: UnitOfWork,
  key: {
    userId: string;
    name: string | null;
    usage: Usage;
    info: NewKeyInfo;
    upgrade: boolean;
    existing: Credential[];
  },
  caller: Caller,
): Promise<Credential> {
  const { info, usage } = key;
  const name =
    key.name ??
    defaultKeyName(
      ctx,
      { aaguid: info.aaguid, deviceType: info.credentialDeviceType, usage },
      key.existing,
    );
  const stored = await tx.credentials.create({
    userId: key.userId,
    credentialId: info.credential.id,
    publicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
    signCount: info.credential.counter,
    transports: info.credential.transports ?? [],
    backupEligible: info.credentialDeviceType === "multiDevice",
    backupState: info.credentialBackedUp,
    deviceType: info.credentialDeviceType,
    aaguid: info.aaguid,
    attestationFormat: info.fmt,
    name,
    usage,
    flags: [
      ...(info.userVerified ? [USER_VERIFYING] : []),
      ...(key.upgrade ? [PASSKEY_UPGRADE] : []),
    ],
  });
  await tx.record(
    "webauthn.registered",
    { userId: key.userId, ip: caller.client.ip },
    {
      credentialId: stored.credentialId,
      name: stored.name,
      usage: stored.usage,
      aaguid: stored.aaguid,
      createdBy: key.upgrade ? "upgrade" : "user",
    },
  );
  return stored;
}

/**
 * Runs the unit of work that stores a new key. A racing registration may take the default
 * name first; then it runs again and the next number is tried (`named`: the user chose the
 * name, so it is taken, not renumbered). The same credential twice is refused as such.
 */
export async function retryingDefaultName<T>(named: boolean, store: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await store();
    } catch (error) {
      if (!(error instanceof UniqueViolationError)) throw error;
      if (error.constraint?.includes("credential_id")) {
        throw new KeywardError(ErrorCode.WEBAUTHN_CREDENTIAL_EXISTS);
      }
      if (!named && attempt < 3) continue;
      throw new KeywardError(ErrorCode.WEBAUTHN_NAME_TAKEN);
    }
  }
}

/**
 * Before a key is added: its name as stored (sanitised; null when the user gave none) and the
 * user's keys, refusing past the key limit or a name one of them already has.
 */
export async function roomForNewKey(
  ctx: KeywardContext,
  userId: string,
  requestedName: string | undefined,
): Promise<{ name: string | null; existing: Credential[] }> {
  const name = requestedName === undefined ? null : ctx.webauthnUtil.sanitizeName(requestedName);
  const existing = await ctx.store.credentials.listForUser(userId);
  refusePastKeyLimit(ctx, existing);
  if (name !== null && existing.some((key) => key.name === name)) {
    throw new KeywardError(
      ErrorCode.WEBAUTHN_NAME_TAKEN,
      `You already have a key named "${name}".`,
    );
  }
  return { name, existing };
}

/** `webauthn.maxKeysPerUser`: an account holds a bounded number of keys (both usages). */
export function refusePastKeyLimit(ctx: KeywardContext, existing: Credential[]): void {
  const max = ctx.config.webauthn.maxKeysPerUser;
  if (existing.length >= max) {
    throw new KeywardError(
      ErrorCode.WEBAUTHN_KEY_LIMIT,
      `An account may hold at most ${max} keys; remove one first.`,
      { max },
    );
  }
}

/** WebAuthn §7.1: a credential id over 1023 bytes fails the ceremony. */
function refuseLongCredentialId(credentialId: string): void {
  if (Buffer.from(credentialId, "base64url").length > MAX_CREDENTIAL_ID_BYTES) {
    throw new KeywardError(
      ErrorCode.WEBAUTHN_VERIFICATION_FAILED,
      "The credential id is too long.",
    );
  }
}

/**
 * The name of a key registered without one: its model ("YubiKey 5 Series", "iCloud Keychain")
 * when the AAGUID is known, else "Passkey" (a sign-in key, or a synced one) or "Security key";
 * " 2", " 3"… is added when the user already has a key of that name.
 */
function defaultKeyName(
  ctx: KeywardContext,
  key: { aaguid: string; deviceType: Credential["deviceType"]; usage: Usage },
  existing: Credential[],
): string {
  const model = authenticatorName(key.aaguid, ctx.authenticatorNames);
  const base =
    model ??
    (key.usage === "first" || key.deviceType === "multiDevice" ? "Passkey" : "Security key");
  const taken = new Set(existing.map((k) => k.name));
  const max = ctx.config.webauthn.nameMaxLength;
  const truncate = (text: string, room: number) =>
    [...text].slice(0, Math.max(0, room)).join("").trim();
  for (let n = 1; ; n += 1) {
    const suffix = n === 1 ? "" : ` ${n}`;
    const name = ctx.webauthnUtil.sanitizeName(`${truncate(base, max - suffix.length)}${suffix}`);
    if (!taken.has(name)) return name;
  }
}

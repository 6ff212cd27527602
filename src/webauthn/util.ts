import type {
  AuthenticatorAttachment,
  AuthenticatorSelectionCriteria,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialHint,
  PublicKeyCredentialRequestOptionsJSON,
  UserVerificationRequirement,
} from "@simplewebauthn/server";
import type { KeywardConfig } from "../config/schema.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { randomToken } from "../core/ids.js";
import type { Credential, Usage, User } from "../core/types.js";
import { webauthnLibrary } from "./library.js";

const coseAlgorithm = { ES256: -7, EdDSA: -8, RS256: -257 } as const;

const descriptor = (credential: Credential) => ({
  id: credential.credentialId,
  transports: credential.transports,
});

/**
 * Where a key lives, as the user chooses it: on this device (`platform`), on a security key
 * (`cross-platform`), or on a phone or tablet nearby (`hybrid`: a cross-platform authenticator
 * reached over the hybrid transport, by QR code).
 */
export type KeyPlacement = AuthenticatorAttachment | "hybrid";

const ROAMING_TRANSPORTS = ["usb", "nfc", "ble", "smart-card"];

/**
 * Where a user's keys live, read from the transports they reported: one placement when they
 * all agree, undefined when they differ or say nothing (then no hint narrows the browser's
 * choice, and every key stays reachable).
 */
export function placementOf(keys: readonly Credential[]): KeyPlacement | undefined {
  const placements = new Set<KeyPlacement | undefined>(
    keys.map((key) => {
      if (key.transports.includes("internal")) return "platform";
      if (key.transports.includes("hybrid")) return "hybrid";
      if (key.transports.some((t) => ROAMING_TRANSPORTS.includes(t))) return "cross-platform";
      return undefined;
    }),
  );
  const [only] = placements;
  return placements.size === 1 ? only : undefined;
}

/**
 * Every WebAuthn policy decision, one method each. Subclass it and pass the class as
 * `webauthnUtil` to change one decision without forking a flow; it is instantiated once.
 */
export class WebauthnUtil {
  constructor(protected readonly config: KeywardConfig) {}

  /** A fresh challenge, base64url: exactly what will appear in clientDataJSON. */
  generateChallenge(nbytes = 32): string {
    return randomToken(nbytes);
  }

  /** Origins a response may come from: from configuration, never from the request. */
  origins(_request?: Request): string[] {
    return [...this.config.rp.origins, ...this.config.rp.relatedOrigins];
  }

  /** The RP ID responses must be scoped to. */
  rpId(): string {
    return this.config.rp.id;
  }

  /**
   * Where a new key of `usage` lives when the user does not say: `first` keys on a security key
   * or another device (a passkey bound to one device is lost with it), `secondary` keys
   * wherever the browser offers (undefined). The account page pre-selects the same.
   */
  defaultAttachment(usage: Usage): AuthenticatorAttachment | undefined {
    return usage === "first" ? "cross-platform" : undefined;
  }

  /**
   * Authenticator selection for a new key. `first` keys: cross-platform unless the user asked
   * for this device (`attachment: "platform"`), UV preferred, resident key preferred (required
   * when user hints are off, since sign-in is then usernameless). `secondary` keys: UV
   * discouraged, no resident key needed (the user is already identified), any attachment
   * unless one was asked for. A phone (`hybrid`) is asked for as cross-platform.
   */
  authenticatorSelection(
    _user: User,
    usage: Usage,
    attachment?: KeyPlacement,
  ): AuthenticatorSelectionCriteria {
    // A phone is a cross-platform authenticator; the `hybrid` hint says which kind.
    const where =
      attachment === "hybrid" ? "cross-platform" : (attachment ?? this.defaultAttachment(usage));
    if (usage === "first") {
      return {
        ...(where ? { authenticatorAttachment: where } : {}),
        userVerification: "preferred",
        residentKey: this.config.webauthn.allowUserHints ? "preferred" : "required",
      };
    }
    return {
      ...(where ? { authenticatorAttachment: where } : {}),
      userVerification: "discouraged",
      residentKey: "discouraged",
    };
  }

  /**
   * WebAuthn Level 3 hints: which kind of authenticator the browser should offer first, for a
   * key of `usage` that lives at `placement` (for a new key: where the user asked, else
   * `defaultAttachment`; at sign-in: where all the allowed keys live, see placementOf).
   * `security-key` for a roaming key, `client-device` for this device, `hybrid` for a phone;
   * none when the placement is open, so the browser offers every kind. Browsers that do not
   * know hints ignore them; authenticatorSelection says the same in Level 2 terms.
   */
  hints(_usage: Usage, placement: KeyPlacement | undefined): PublicKeyCredentialHint[] {
    if (placement === "platform") return ["client-device"];
    if (placement === "hybrid") return ["hybrid"];
    if (placement === "cross-platform") return ["security-key"];
    return [];
  }

  /** UV asked for at sign-in: preferred when a `first` key may answer (multi-factor hinges on it). */
  userVerification(_user: User | null, usages: Usage[]): UserVerificationRequirement {
    return usages.includes("first") ? "preferred" : "discouraged";
  }

  /**
   * Creation options for a new key; `existing` keys are excluded so none is registered twice.
   * `attachment` is where the user asked the key to live, if they chose.
   */
  async registrationOptions(
    user: User,
    usage: Usage,
    existing: Credential[],
    attachment?: KeyPlacement,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const authenticatorSelection = this.authenticatorSelection(user, usage, attachment);
    const { generateRegistrationOptions } = (await webauthnLibrary()).server;
    const options = await generateRegistrationOptions({
      ...this.registrationBase(user, existing),
      attestationType: this.config.webauthn.attestation,
      authenticatorSelection,
    });
    // Without a choice, the hint follows what authenticatorSelection asks for (a subclass's too).
    const placement = attachment ?? authenticatorSelection.authenticatorAttachment;
    const { hints: _unset, ...rest } = options;
    const hints = this.hints(usage, placement);
    return hints.length > 0 ? { ...rest, hints } : rest;
  }

  /**
   * Request options. With a known user, `existing` are that user's keys of the allowed usages
   * (allowCredentials); with none, the browser offers discoverable credentials. `hints` follow
   * where those keys live (placementOf, hints).
   */
  async authenticationOptions(
    user: User | null,
    usages: Usage[],
    existing: Credential[],
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const { generateAuthenticationOptions } = (await webauthnLibrary()).server;
    const options = await generateAuthenticationOptions({
      rpID: this.rpId(),
      challenge: Buffer.from(this.generateChallenge(), "base64url"),
      timeout: this.config.webauthn.signinTimeout,
      allowCredentials: existing.map(descriptor),
      userVerification: this.userVerification(user, usages),
    });
    // Without a known user (a discoverable sign-in) the keys, and so their placement, are open.
    const placement = existing.length > 0 ? placementOf(existing) : undefined;
    const hints = [...new Set(usages.flatMap((usage) => this.hints(usage, placement)))];
    return hints.length > 0 ? { ...options, hints } : options;
  }

  /**
   * Whether a user who just signed in with a password is offered an automatic passkey upgrade
   * (when `webauthn.passkeyUpgrade` is on): by default only while the account has no passkey,
   * so the browser never adds one silently beside a passkey the user already chose.
   */
  offerPasskeyUpgrade(_user: User, keys: readonly Credential[]): boolean {
    return !keys.some((key) => key.usage === "first");
  }

  /**
   * Creation options for an automatic passkey upgrade (a conditional create): a discoverable
   * `first` key wherever the user's password manager keeps it (no attachment, no hint), UV
   * preferred: the browser creates it without a prompt, so it may carry neither UP nor UV.
   */
  async passkeyUpgradeOptions(
    user: User,
    existing: Credential[],
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const { generateRegistrationOptions } = (await webauthnLibrary()).server;
    const { hints: _unset, ...options } = await generateRegistrationOptions({
      ...this.registrationBase(user, existing),
      attestationType: "none",
      authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
    });
    return options;
  }

  /** What every registration's options share: the RP, the user, a fresh challenge, exclusions. */
  private registrationBase(user: User, existing: Credential[]) {
    return {
      rpName: this.config.rp.name,
      rpID: this.rpId(),
      userName: user.username ?? user.email,
      userDisplayName: user.email,
      userID: Buffer.from(user.webauthnUserHandle, "base64url"),
      challenge: Buffer.from(this.generateChallenge(), "base64url"),
      timeout: this.config.webauthn.registerTimeout,
      excludeCredentials: existing.map(descriptor),
      supportedAlgorithmIDs: this.supportedAlgorithmIds(),
      extensions: { credProps: true },
    };
  }

  /** Whether a key attested in this format may be registered (default: `attestationFormats`). */
  attestationFormatAllowed(format: string): boolean {
    return (this.config.webauthn.attestationFormats as string[]).includes(format);
  }

  /** COSE ids of the algorithms accepted. */
  supportedAlgorithmIds(): number[] {
    return this.config.webauthn.algorithms.map((alg) => coseAlgorithm[alg]);
  }

  /**
   * A key name as stored: NFKC-normalised, control and format characters removed, spaces
   * collapsed, trimmed; refused when empty or longer than `nameMaxLength`.
   */
  sanitizeName(value: string): string {
    const name = value
      .normalize("NFKC")
      .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, "")
      .replace(/\s+/gu, " ")
      .trim();
    if (name.length === 0) {
      throw new KeywardError(ErrorCode.WEBAUTHN_NAME_INVALID);
    }
    if ([...name].length > this.config.webauthn.nameMaxLength) {
      throw new KeywardError(
        ErrorCode.WEBAUTHN_NAME_INVALID,
        `A key name has at most ${this.config.webauthn.nameMaxLength} characters.`,
      );
    }
    return name;
  }
}

/** How an app passes its policy: the class, instantiated once by Keyward with the config. */
export type WebauthnUtilClass = new (config: KeywardConfig) => WebauthnUtil;

/**
 * A WebAuthn authenticator and client (the browser half) in software.
 *
 * It turns standard options JSON into real, correctly signed response JSON so
 * that ceremonies can be driven end to end without a browser, and it exposes
 * overrides that let tests forge the malformed or hostile responses a real
 * attacker could send.
 */
import {
  createHash,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  randomBytes,
  sign,
} from "node:crypto";
import type {
  AuthenticationExtensionsClientOutputs,
  AuthenticationResponseJSON,
  AuthenticatorTransport,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL, isoCBOR } from "@simplewebauthn/server/helpers";

/** Signature algorithms the software authenticator can create credentials for. */
export type SoftwareAlgorithm = "ES256" | "EdDSA" | "RS256";

/**
 * Transport hints reported in registration responses. Same union as WebAuthn's
 * `AuthenticatorTransportFuture` (includes `"hybrid"`).
 */
export type AuthenticatorTransportFuture = AuthenticatorTransport;

export interface SoftwareAuthenticatorOptions {
  /** Origin written into clientDataJSON, e.g. `"http://localhost:3000"`. Required. */
  origin: string;
  /** Algorithm of newly created credentials. Default `"ES256"`. */
  algorithm?: SoftwareAlgorithm;
  /**
   * Attestation statement format. Default `"none"`.
   * `"packed"` produces self attestation (`alg` + `sig`, no `x5c`) signed with the credential key.
   */
  attestation?: "none" | "packed";
  /** AAGUID (UUID string) put in attested credential data. Default all zeroes. */
  aaguid?: string;
  /** User Present (UP) flag. Default `true`. */
  userPresence?: boolean;
  /** User Verified (UV) flag. Default `true`. */
  userVerification?: boolean;
  /** Backup Eligible (BE) flag. Default `false`. */
  backupEligible?: boolean;
  /** Backup State (BS) flag. Default `false`. */
  backupState?: boolean;
  /**
   * Sign count behaviour. Default `"increment"`: 0 at registration, +1 per assertion.
   * `"zero"` always reports 0, like most synced passkeys.
   */
  counter?: "increment" | "zero";
  /** Transports reported at registration. Default `["internal"]`. */
  transports?: AuthenticatorTransportFuture[];
  /** `authenticatorAttachment` reported in responses. Default `"platform"`. */
  attachment?: "platform" | "cross-platform";
  /**
   * Force resident (discoverable) keys on or off. Default: follow
   * `authenticatorSelection.residentKey` of the options (`required`/`preferred` → resident).
   */
  discoverable?: boolean;
}

/** Options after defaults are applied. `discoverable` stays optional: unset means "follow the RP". */
export type ResolvedSoftwareAuthenticatorOptions = Required<
  Omit<SoftwareAuthenticatorOptions, "discoverable">
> &
  Pick<SoftwareAuthenticatorOptions, "discoverable">;

/** Every field is optional; each one bends the response in a way a real client would not. */
export interface CeremonyOverrides {
  /** Origin in clientDataJSON instead of the authenticator's origin. */
  origin?: string;
  /** clientDataJSON `type` instead of `webauthn.create` / `webauthn.get`. */
  type?: string;
  /** clientDataJSON `challenge` (base64url) instead of the options' challenge. */
  challenge?: string;
  /** RP ID whose SHA-256 is signed into authenticatorData (credential scoping is unaffected). */
  rpId?: string;
  /** clientDataJSON `crossOrigin`. Default `false`. */
  crossOrigin?: boolean;
  /** clientDataJSON `topOrigin`; omitted unless given. */
  topOrigin?: string;
  /** Flag values for this response only; unset flags follow the authenticator options. */
  flags?: { up?: boolean; uv?: boolean; be?: boolean; bs?: boolean };
  /** Explicit sign count for this response. Does not change the held counter. */
  counter?: number;
  /** Flip a byte of the signature after signing (no effect on `"none"` attestation). */
  tamperSignature?: boolean;
  /** Sign these bytes instead of `authData || SHA-256(clientDataJSON)` (no effect on `"none"` attestation). */
  signOver?: Uint8Array;
}

export interface AuthenticationOverrides extends CeremonyOverrides {
  /**
   * Which held credential answers (base64url). Bypasses allowCredentials, rpId and
   * discoverability filtering so tests can answer with a credential the RP did not ask for.
   */
  credentialId?: string;
  /** userHandle in the response; `null` omits it. Default: the registration `user.id`. */
  userHandle?: string | null;
  /** id/rawId put in the response, to claim another credential's id. */
  responseCredentialId?: string;
}

export interface RegistrationOverrides extends CeremonyOverrides {
  /** Credential id (base64url) instead of 32 random bytes, e.g. to reuse an id or exceed 1023 bytes. */
  credentialId?: string;
  /** Algorithm for this credential instead of the authenticator's default. */
  algorithm?: SoftwareAlgorithm;
  /** Register even when a held credential is listed in excludeCredentials. */
  ignoreExcludeCredentials?: boolean;
  /**
   * id/rawId put in the response (base64url) instead of the attested credential id, to claim
   * one id while the authenticator data attests another. The credential is held under the
   * attested id.
   */
  responseCredentialId?: string;
}

/** Public view of a credential the authenticator holds. */
export interface HeldCredential {
  /** Credential id, base64url. */
  id: string;
  /** RP ID the credential is scoped to. */
  rpId: string;
  /** `user.id` from registration, base64url. */
  userHandle: string;
  algorithm: SoftwareAlgorithm;
  /** Current sign count. */
  counter: number;
  discoverable: boolean;
}

export type AuthenticatorErrorName = "NotAllowedError" | "InvalidStateError" | "NotSupportedError";

/** Mirrors the DOMException names a browser rejects `navigator.credentials` calls with. */
export class AuthenticatorError extends Error {
  override readonly name: AuthenticatorErrorName;

  constructor(name: AuthenticatorErrorName, message: string) {
    super(message);
    this.name = name;
  }
}

interface StoredCredential extends HeldCredential {
  privateKey: KeyObject;
}

type Bytes = Uint8Array<ArrayBuffer>;

const COSE_ALG: Record<SoftwareAlgorithm, number> = { ES256: -7, EdDSA: -8, RS256: -257 };

const FLAG = { up: 0x01, uv: 0x04, be: 0x08, bs: 0x10, at: 0x40 } as const;

const DEFAULTS: Omit<ResolvedSoftwareAuthenticatorOptions, "origin"> = {
  algorithm: "ES256",
  attestation: "none",
  aaguid: "00000000-0000-0000-0000-000000000000",
  userPresence: true,
  userVerification: true,
  backupEligible: false,
  backupState: false,
  counter: "increment",
  transports: ["internal"],
  attachment: "platform",
};

export class SoftwareAuthenticator {
  #options: ResolvedSoftwareAuthenticatorOptions;
  // Insertion order doubles as registration order, used to pick the newest passkey.
  #credentials = new Map<string, StoredCredential>();

  constructor(options: SoftwareAuthenticatorOptions) {
    this.#options = { ...DEFAULTS, ...withoutUndefined(options), origin: options.origin };
    parseAaguid(this.#options.aaguid);
  }

  /** The options in effect, defaults applied. */
  get options(): Readonly<ResolvedSoftwareAuthenticatorOptions> {
    return { ...this.#options, transports: [...this.#options.transports] };
  }

  /** Snapshot of the held credentials, oldest first. */
  get credentials(): readonly HeldCredential[] {
    return [...this.#credentials.values()].map(toHeld);
  }

  /** Drop a held credential, as if the user deleted the passkey. */
  forget(credentialId: string): void {
    this.#credentials.delete(credentialId);
  }

  /** Change behaviour between ceremonies (e.g. stop verifying the user, or reset the origin). */
  set(
    opts: Partial<
      Pick<
        SoftwareAuthenticatorOptions,
        | "userPresence"
        | "userVerification"
        | "backupEligible"
        | "backupState"
        | "counter"
        | "origin"
      >
    >,
  ): void {
    this.#options = { ...this.#options, ...withoutUndefined(opts) };
  }

  /** `navigator.credentials.create()` equivalent. */
  async register(
    options: PublicKeyCredentialCreationOptionsJSON,
    overrides: RegistrationOverrides = {},
  ): Promise<RegistrationResponseJSON> {
    const scopeRpId = options.rp.id ?? hostnameOf(this.#options.origin);
    const algorithm = overrides.algorithm ?? this.#options.algorithm;
    if (!options.pubKeyCredParams.some((p) => p.alg === COSE_ALG[algorithm])) {
      throw new AuthenticatorError("NotSupportedError", `RP does not accept ${algorithm}`);
    }
    if (!overrides.ignoreExcludeCredentials) this.#checkExcluded(options, scopeRpId);

    const idBytes = overrides.credentialId
      ? isoBase64URL.toBuffer(overrides.credentialId)
      : bytes(randomBytes(32));
    const { privateKey, publicKey } = generateKeyPair(algorithm);
    const publicJwk = algorithm === "RS256" ? undefined : publicKey.export({ format: "jwk" });
    const credential: StoredCredential = {
      id: base64url(idBytes),
      rpId: scopeRpId,
      userHandle: options.user.id,
      algorithm,
      counter: 0,
      discoverable: this.#options.discoverable ?? wantsResidentKey(options),
      privateKey,
    };

    const clientDataJSON = clientData(
      "webauthn.create",
      options.challenge,
      this.#options,
      overrides,
    );
    const authData = concat(
      this.#authDataPrefix(overrides.rpId ?? scopeRpId, overrides, overrides.counter ?? 0, true),
      attestedCredentialData(
        parseAaguid(this.#options.aaguid),
        idBytes,
        coseKey(publicKey, publicJwk, algorithm),
      ),
    );
    const attStmt = this.#attestationStatement(credential, authData, clientDataJSON, overrides);
    const attestationObject = isoCBOR.encode(
      new Map<string, Parameters<typeof isoCBOR.encode>[0]>([
        ["fmt", this.#options.attestation],
        ["attStmt", attStmt],
        ["authData", authData],
      ]),
    );

    this.#store(credential);
    const responseId = overrides.responseCredentialId ?? credential.id;
    return {
      id: responseId,
      rawId: responseId,
      type: "public-key",
      response: {
        clientDataJSON: base64url(clientDataJSON),
        attestationObject: base64url(attestationObject),
        authenticatorData: base64url(authData),
        transports: [...this.#options.transports],
        publicKeyAlgorithm: COSE_ALG[algorithm],
        publicKey: base64url(publicKey.export({ type: "spki", format: "der" })),
      },
      authenticatorAttachment: this.#options.attachment,
      clientExtensionResults: registrationExtensions(options, credential.discoverable),
    };
  }

  /** `navigator.credentials.get()` equivalent. */
  async authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    overrides: AuthenticationOverrides = {},
  ): Promise<AuthenticationResponseJSON> {
    const scopeRpId = options.rpId ?? hostnameOf(this.#options.origin);
    const credential = this.#select(options, scopeRpId, overrides.credentialId);

    const counter = this.#nextCounter(credential);
    const clientDataJSON = clientData("webauthn.get", options.challenge, this.#options, overrides);
    const authData = this.#authDataPrefix(
      overrides.rpId ?? scopeRpId,
      overrides,
      overrides.counter ?? counter,
      false,
    );
    const signature = signCeremony(credential, authData, clientDataJSON, overrides);

    const responseId = overrides.responseCredentialId ?? credential.id;
    const userHandle =
      overrides.userHandle === undefined ? credential.userHandle : overrides.userHandle;
    return {
      id: responseId,
      rawId: responseId,
      type: "public-key",
      response: {
        clientDataJSON: base64url(clientDataJSON),
        authenticatorData: base64url(authData),
        signature: base64url(signature),
        ...(userHandle === null ? {} : { userHandle }),
      },
      authenticatorAttachment: this.#options.attachment,
      clientExtensionResults: {},
    };
  }

  #checkExcluded(options: PublicKeyCredentialCreationOptionsJSON, rpId: string): void {
    const excluded = options.excludeCredentials ?? [];
    const held = excluded.find((d) => this.#credentials.get(d.id)?.rpId === rpId);
    if (held) {
      throw new AuthenticatorError(
        "InvalidStateError",
        `Credential ${held.id} is already registered`,
      );
    }
  }

  #store(credential: StoredCredential): void {
    // A real authenticator keeps one resident key per (RP, user): a new one replaces the old.
    if (credential.discoverable) {
      for (const [id, held] of this.#credentials) {
        const sameAccount =
          held.rpId === credential.rpId && held.userHandle === credential.userHandle;
        if (held.discoverable && sameAccount) this.#credentials.delete(id);
      }
    }
    // Delete first so a reused id moves to the end (newest).
    this.#credentials.delete(credential.id);
    this.#credentials.set(credential.id, credential);
  }

  #select(
    options: PublicKeyCredentialRequestOptionsJSON,
    rpId: string,
    chosenId: string | undefined,
  ): StoredCredential {
    const candidates = chosenId ? [this.#credentials.get(chosenId)] : this.#eligible(options, rpId);
    const credential = candidates.at(-1);
    if (!credential) {
      throw new AuthenticatorError("NotAllowedError", `No credential available for ${rpId}`);
    }
    return credential;
  }

  #eligible(options: PublicKeyCredentialRequestOptionsJSON, rpId: string): StoredCredential[] {
    const forRp = [...this.#credentials.values()].filter((c) => c.rpId === rpId);
    const allowed = options.allowCredentials ?? [];
    if (allowed.length === 0) return forRp.filter((c) => c.discoverable);
    const allowedIds = new Set(allowed.map((d) => d.id));
    return forRp.filter((c) => allowedIds.has(c.id));
  }

  #nextCounter(credential: StoredCredential): number {
    if (this.#options.counter === "zero") return 0;
    credential.counter += 1;
    return credential.counter;
  }

  /** rpIdHash || flags || signCount: the part of authenticatorData common to both ceremonies. */
  #authDataPrefix(
    rpId: string,
    overrides: CeremonyOverrides,
    signCount: number,
    attested: boolean,
  ): Bytes {
    const o = this.#options;
    const f = overrides.flags ?? {};
    let flags = attested ? FLAG.at : 0;
    if (f.up ?? o.userPresence) flags |= FLAG.up;
    if (f.uv ?? o.userVerification) flags |= FLAG.uv;
    if (f.be ?? o.backupEligible) flags |= FLAG.be;
    if (f.bs ?? o.backupState) flags |= FLAG.bs;
    const prefix = new Uint8Array(37);
    prefix.set(rpIdHash(rpId), 0);
    prefix[32] = flags;
    new DataView(prefix.buffer).setUint32(33, signCount, false);
    return prefix;
  }

  #attestationStatement(
    credential: StoredCredential,
    authData: Bytes,
    clientDataJSON: Uint8Array,
    overrides: CeremonyOverrides,
  ): Map<string, number | Bytes> {
    if (this.#options.attestation === "none") return new Map();
    // Self attestation: the credential key vouches for itself, no certificate chain.
    return new Map<string, number | Bytes>([
      ["alg", COSE_ALG[credential.algorithm]],
      ["sig", bytes(signCeremony(credential, authData, clientDataJSON, overrides))],
    ]);
  }
}

function toHeld({ privateKey: _privateKey, ...held }: StoredCredential): HeldCredential {
  return { ...held };
}

function withoutUndefined<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function hostnameOf(origin: string): string {
  return new URL(origin).hostname;
}

function wantsResidentKey(options: PublicKeyCredentialCreationOptionsJSON): boolean {
  const selection = options.authenticatorSelection;
  if (selection?.residentKey) return selection.residentKey !== "discouraged";
  return selection?.requireResidentKey === true;
}

function registrationExtensions(
  options: PublicKeyCredentialCreationOptionsJSON,
  discoverable: boolean,
): AuthenticationExtensionsClientOutputs {
  return options.extensions?.credProps ? { credProps: { rk: discoverable } } : {};
}

function clientData(
  type: string,
  challenge: string,
  options: ResolvedSoftwareAuthenticatorOptions,
  overrides: CeremonyOverrides,
): Buffer {
  // Key order matches what browsers emit, for parsers that (wrongly) rely on it.
  const data: Record<string, string | boolean> = {
    type: overrides.type ?? type,
    challenge: overrides.challenge ?? challenge,
    origin: overrides.origin ?? options.origin,
    crossOrigin: overrides.crossOrigin ?? false,
  };
  if (overrides.topOrigin !== undefined) data.topOrigin = overrides.topOrigin;
  return Buffer.from(JSON.stringify(data), "utf8");
}

/** The signature as a fresh Buffer of its own (safe to modify). */
function signCeremony(
  credential: StoredCredential,
  authData: Uint8Array,
  clientDataJSON: Uint8Array,
  overrides: CeremonyOverrides,
): Buffer {
  const message =
    overrides.signOver ?? Buffer.concat([authData, sha256(clientDataJSON)], authData.length + 32);
  const signature = signWith(credential.algorithm, credential.privateKey, message);
  if (overrides.tamperSignature) {
    const last = signature.length - 1;
    signature[last] = (signature[last] ?? 0) ^ 0x01;
  }
  return signature;
}

function signWith(algorithm: SoftwareAlgorithm, key: KeyObject, message: Uint8Array): Buffer {
  // Ed25519 hashes internally; ES256 yields DER-encoded ECDSA and RS256 PKCS#1 v1.5, as WebAuthn expects.
  const digest = algorithm === "EdDSA" ? null : "sha256";
  return sign(digest, message, key);
}

function generateKeyPair(algorithm: SoftwareAlgorithm): {
  privateKey: KeyObject;
  publicKey: KeyObject;
} {
  switch (algorithm) {
    case "ES256":
      return generateKeyPairSync("ec", { namedCurve: "P-256" });
    case "EdDSA":
      return generateKeyPairSync("ed25519");
    case "RS256":
      return generateKeyPairSync("rsa", { modulusLength: 2048 });
  }
}

function coseKey(
  publicKey: KeyObject,
  publicJwk: JsonWebKey | undefined,
  algorithm: SoftwareAlgorithm,
): Bytes {
  const jwk = publicJwk ?? publicKey.export({ format: "jwk" });
  const b = (value: string | undefined) => bytes(Buffer.from(value ?? "", "base64url"));
  const entries: [number, number | Bytes][] =
    algorithm === "ES256"
      ? [
          [1, 2],
          [3, -7],
          [-1, 1],
          [-2, b(jwk.x)],
          [-3, b(jwk.y)],
        ]
      : algorithm === "EdDSA"
        ? [
            [1, 1],
            [3, -8],
            [-1, 6],
            [-2, b(jwk.x)],
          ]
        : [
            [1, 3],
            [3, -257],
            [-1, b(jwk.n)],
            [-2, b(jwk.e)],
          ];
  return isoCBOR.encode(new Map(entries));
}

function attestedCredentialData(aaguid: Bytes, credentialId: Bytes, publicKey: Bytes): Bytes {
  const idLength = new Uint8Array(2);
  new DataView(idLength.buffer).setUint16(0, credentialId.length, false);
  return concat(aaguid, idLength, credentialId, publicKey);
}

function parseAaguid(aaguid: string): Bytes {
  const hex = aaguid.replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`Invalid AAGUID: ${aaguid}`);
  return bytes(Buffer.from(hex, "hex"));
}

const rpIdHashes = new Map<string, Buffer>();

/** SHA-256 of an RP ID, memoised: every assertion signs it into authenticatorData. */
function rpIdHash(rpId: string): Buffer {
  let hash = rpIdHashes.get(rpId);
  if (hash === undefined) {
    if (rpIdHashes.size >= 256) rpIdHashes.clear();
    hash = sha256(Buffer.from(rpId, "utf8"));
    rpIdHashes.set(rpId, hash);
  }
  return hash;
}

function sha256(data: Uint8Array): Buffer {
  return createHash("sha256").update(data).digest();
}

/** Unpadded base64url, as isoBase64URL.fromBuffer writes it (Node's encoder, not a JS one). */
function base64url(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64url");
}

/** Copy into a plain ArrayBuffer-backed Uint8Array (Node Buffers may share a pooled buffer). */
function bytes(data: Uint8Array): Bytes {
  return new Uint8Array(data);
}

function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

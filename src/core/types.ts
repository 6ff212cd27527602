/** What a WebAuthn key is for: primary sign-in, or a second factor after a password. */
export type Usage = "first" | "secondary";

/** Authenticator assurance level of a session (NIST SP 800-63B): 1 = one factor, 2 = two. */
export type Aal = 1 | 2;

/**
 * Authentication method references (RFC 8176 where one exists): how a session was earned.
 * `hwk`/`swk` are proof of a hardware- or software-bound key; `mfa` marks a multi-factor key;
 * `remembered` marks a second factor skipped on a device the user chose to remember; `mca`
 * (multiple-channel authentication) and `tel` are what an app's own factor may record (a
 * push approved on another device, a call), see AppSecondFactor.amr.
 */
export type Amr =
  | "pwd"
  | "hwk"
  | "swk"
  | "mfa"
  | "user"
  | "pin"
  | "otp"
  | "sms"
  | "email"
  | "rc"
  | "mca"
  | "tel"
  | "remembered";

export interface User {
  id: string;
  email: string;
  username: string | null;
  passwordHash: string | null;
  /** 64 random bytes, base64url: `user.id` in every registration, checked against `userHandle`. */
  webauthnUserHandle: string;
  active: boolean;
  createdAt: number;
  /** When the user proved they receive mail at `email` (a confirmation link); null if never. */
  emailConfirmedAt: number | null;
  /**
   * Goes up whenever who owns the account is re-established (password reset or change,
   * recovery, sign out everywhere). A remembered device or a sign-in waiting for its second
   * factor is bound to the epoch it began in and void in any later one.
   */
  securityEpoch: number;
  /** Set while sign-ins are refused (policy.onSignInFailed, `keyward users lock`); see isLocked. */
  lock: AccountLock | null;
}

/** Why and since when an account refuses sign-ins, and until when (null: until unlocked). */
export interface AccountLock {
  reason: string;
  at: number;
  until: number | null;
}

/** A user as shown to clients: no secrets. */
export interface PublicUser {
  id: string;
  email: string;
  username: string | null;
  hasPassword: boolean;
  createdAt: string;
  /** Whether the user confirmed their email address (a link sent to it was opened). */
  emailConfirmed: boolean;
}

export interface Session {
  id: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
  /** When the user last proved presence (sign-in or re-verification). */
  freshAt: number;
  amr: Amr[];
  /**
   * The assurance the session holds now: an AAL2 session drops to 1 once the reauthentication
   * bounds (`session.aal2MaxAge`, `session.aal2IdleTimeout`) are past.
   */
  aal: Aal;
  /** When the session last proved AAL2 (sign-in or reauthentication); null if it never did. */
  aal2At: number | null;
  /** Whether user verification (PIN, biometric) was seen when this session was earned. */
  uv: boolean;
  ip: string | null;
  userAgent: string | null;
  /**
   * A limited session may do only what its purpose needs: "recovery" (opened by an account
   * recovery link) can only register a new key, read /me and sign out. Null: a full session.
   */
  limited: SessionLimit | null;
  /** What earned this session: removing either of these ends it (see FactorRef). */
  earnedBy: EarnedBy;
  /**
   * "Remember me": a long session whose cookie outlives the browser (`session.lifetime`,
   * `session.idleTimeout`); false: a browser session, its cookie without Max-Age and its
   * lifetimes short (`session.browserLifetime`, `session.browserIdleTimeout`).
   */
  persistent: boolean;
}

/** Why a session is limited; see Session.limited. */
export type SessionLimit = "recovery";

/**
 * A factor a session was earned with, named so that removing that factor can find the
 * session: `key:<credential row id>` for a WebAuthn key (first factor or second), a
 * second-factor method (`totp`, `sms`, `email`, `recovery` for a recovery code, `remembered`
 * for a remembered device), `app:<name>` for one of the app's own factors, or `pwd`.
 */
export type FactorRef =
  | `key:${string}`
  | `app:${string}`
  | "pwd"
  | "totp"
  | "sms"
  | "email"
  | "recovery"
  | "remembered";

/** The factor of each step of a sign-in; null where a step did not happen. */
export interface EarnedBy {
  first: FactorRef | null;
  second: FactorRef | null;
}

/** Whether a session earned by `earnedBy` used any of `factors`. */
export function earnedWith(earnedBy: EarnedBy, factors: readonly FactorRef[]): boolean {
  return [earnedBy.first, earnedBy.second].some((f) => f !== null && factors.includes(f));
}

/** The reference to a WebAuthn key (its row id, not its credential id). */
export function keyFactor(credentialRowId: string): FactorRef {
  return `key:${credentialRowId}`;
}

/** What an emailed account link is for; a token works only for its own purpose. */
export type AccountTokenPurpose =
  | "confirm-email"
  | "reset-password"
  | "recover-account"
  | "change-email";

/**
 * A single-use, expiring token sent by email (only its hash is stored), bound to its purpose
 * and its user; `data` carries what the link is about (the address it was sent to, a new email).
 */
export interface AccountToken {
  idHash: string;
  userId: string;
  purpose: AccountTokenPurpose;
  data: Record<string, unknown>;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/** What the browser is asked for user verification in a key ceremony (WebAuthn's enum). */
export type UserVerification = "required" | "preferred" | "discouraged";

/**
 * What each kind of ceremony keeps besides its common fields, stored as JSON (one entry per
 * CeremonyKind: CeremonyOf does not compile without it). Every reader gets the shape its
 * writer put there: a state of one kind is never found as another.
 */
export interface CeremonyData {
  /** A key being registered in a session. */
  register: {
    userVerification: UserVerification;
    /**
     * An automatic passkey upgrade (webauthn/upgrade.ts): the browser may create the key
     * without user presence (a conditional create), so UP is not required of this state alone.
     */
    upgrade?: true;
    /**
     * Hash of the pending sign-in this key is enrolled for (webauthn/enrol.ts): a state with no
     * session, finished only by the client holding that sign-in, which it then completes.
     */
    pending?: string;
  };
  /** A key sign-in: which usages may answer, and the pending second factor it continues. */
  signin: {
    usages: Usage[];
    userVerification: UserVerification;
    /** Hash of the pending second-factor state a `secondary` key answers; null: a first factor. */
    pendingHash: string | null;
  };
  /** A key re-verifying the signed-in user. */
  verify: { userVerification: UserVerification };
  /** A sign-in whose first factor is proved, waiting for its second. */
  "second-factor": {
    amr: Amr[];
    uv: boolean;
    /** User.securityEpoch when the first factor was proved; another epoch voids the state. */
    epoch: number;
    /** What the first factor was (absent in a state from before migration 0005). */
    firstFactor?: FactorRef;
    /** Held back until the account enrols a second factor (`twoFactor.required`). */
    enrol?: true;
    /**
     * Hash of the pending token a bearer client was given with this state: only a request
     * bearing that token continues it (a browser's pending cookie binds it otherwise).
     */
    holder?: string;
    /** The user asked for a browser session ("remember me" unticked); absent: a long one. */
    persistent?: false;
  };
  /**
   * A sign-in by a one-time code (account/code-signin.ts), waiting for the code. The same
   * state is started whether or not the identity names an account; the code row, if one was
   * sent, says whose it is.
   */
  "code-signin": {
    channel: "email" | "sms";
    /** Hash of the normalised identity it was asked for: code attempts count against it. */
    identity: string;
    /** The user's "remember me"; absent: a long session. */
    persistent?: false;
  };
  /** `tf-setup`: a second factor being enrolled, waiting for its first valid code. */
  "tf-setup": {
    /** The second-factor method being set up (factors/registry.ts names them). */
    method: string;
    /** A new TOTP secret, sealed as the enrolled one is (factors/secret-box.ts). */
    secret?: string;
    /** The phone number an SMS code was sent to. */
    phone?: string;
    /** Hash of the pending sign-in this setup enrols for (no session then). */
    pending?: string;
  };
}

/** `tf-setup`: a second factor being enrolled, waiting for its first valid code. */
export type CeremonyKind =
  | "register"
  | "signin"
  | "verify"
  | "second-factor"
  | "tf-setup"
  | "code-signin";

/** Server-side state of one ceremony: single use, expiring, bound to its kind, user and session. */
export type CeremonyOf<K extends CeremonyKind> = K extends CeremonyKind
  ? {
      id: string;
      kind: K;
      userId: string | null;
      sessionId: string | null;
      challenge: string | null;
      usage: Usage | null;
      name: string | null;
      /** Feature-specific state, typed by kind. */
      data: CeremonyData[K];
      expiresAt: number;
    }
  : never;

/** A ceremony of any kind; `kind` tells which `data` it holds. */
export type Ceremony = CeremonyOf<CeremonyKind>;

/** Narrows a ceremony read from a store to the kind a flow asked for. */
export function isCeremonyOf<K extends CeremonyKind>(
  ceremony: Ceremony,
  kind: K,
): ceremony is CeremonyOf<K> {
  return ceremony.kind === kind;
}

/**
 * A credential flag: the key has verified its user (PIN, biometric) at registration or at a
 * sign-in, so it can sign in at AAL2 on its own. Flags only ever grow.
 */
export const USER_VERIFYING = "user-verifying";

/**
 * A credential flag: the key was imported from a system that did not keep the user handle it
 * registered the key with (better-auth gives each passkey a random one and stores none), so
 * the handle it returns cannot be compared with the account's. The key's owner is still the
 * one its credential id and signature prove; a usernameless sign-in still needs a handle.
 */
export const USER_HANDLE_UNKNOWN = "user-handle-unknown";

/**
 * A credential flag: the key was made by an automatic passkey upgrade (a conditional create
 * right after a password sign-in, webauthn/upgrade.ts), not by the user on the account page.
 */
export const PASSKEY_UPGRADE = "passkey-upgrade";

export interface Credential {
  id: string;
  userId: string;
  credentialId: string;
  publicKey: string;
  signCount: number;
  transports: string[];
  backupEligible: boolean;
  backupState: boolean;
  deviceType: "singleDevice" | "multiDevice";
  aaguid: string;
  attestationFormat: string;
  name: string;
  usage: Usage;
  createdAt: number;
  lastUsedAt: number | null;
  flags: string[];
}

export interface AuditEvent {
  id: string;
  userId: string | null;
  type: string;
  at: number;
  ip: string | null;
  detail: Record<string, unknown>;
}

export function toPublicUser(user: User): PublicUser {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    hasPassword: user.passwordHash !== null,
    createdAt: new Date(user.createdAt).toISOString(),
    emailConfirmed: user.emailConfirmedAt !== null,
  };
}

import type { EventQuery } from "../core/event-query.js";
import type { RateLimitCount, RateLimiter } from "../core/rate-limit.js";
import type {
  Aal,
  AccountLock,
  AccountToken,
  AccountTokenPurpose,
  Amr,
  AuditEvent,
  CeremonyKind,
  CeremonyOf,
  Credential,
  EarnedBy,
  FactorRef,
  Session,
  SessionLimit,
  User,
} from "../core/types.js";

export interface NewUser {
  email: string;
  username: string | null;
  passwordHash: string | null;
  webauthnUserHandle: string;
  /** When the address was confirmed, for accounts created already confirmed (default null). */
  emailConfirmedAt?: number | null;
  /** Default true; an imported account keeps the state it had. */
  active?: boolean;
  /** Default now; an imported account keeps when it was created. */
  createdAt?: number;
}

export interface UserRepo {
  create(user: NewUser): Promise<User>;
  byId(id: string): Promise<User | undefined>;
  byEmail(email: string): Promise<User | undefined>;
  byUsername(username: string): Promise<User | undefined>;
  byWebauthnUserHandle(handle: string): Promise<User | undefined>;
  setPasswordHash(id: string, passwordHash: string | null): Promise<void>;
  /** Replaces the hash only while it is still `from`; false when it changed meanwhile. */
  replacePasswordHash(id: string, from: string, to: string): Promise<boolean>;
  setActive(id: string, active: boolean): Promise<void>;
  /** Locks the account (sign-ins refused) or, with null, lifts its lock. */
  setLock(id: string, lock: AccountLock | null): Promise<void>;
  /** Users in the order they signed up (oldest first), a page at a time; for admin tooling. */
  list(page: { limit: number; offset: number }): Promise<User[]>;
  /**
   * Marks the address confirmed, only while the user's email is still `email` (a link sent to
   * an old address confirms nothing); false when it is not.
   */
  confirmEmail(id: string, email: string, at: number): Promise<boolean>;
  /**
   * Changes the email from `from` to `to` (confirmed at `confirmedAt`), only while it is still
   * `from`; false when it is not. Throws UniqueViolationError when another user has `to`.
   */
  changeEmail(id: string, from: string, to: string, confirmedAt: number): Promise<boolean>;
  /** Bumps User.securityEpoch: every remembered device and waiting sign-in of the user is void. */
  advanceSecurityEpoch(id: string): Promise<void>;
}

export interface NewSession {
  idHash: string;
  userId: string;
  expiresAt: number;
  amr: Amr[];
  aal: Aal;
  uv: boolean;
  ip: string | null;
  userAgent: string | null;
  /** A limited session (see Session.limited); default: a full session. */
  limited?: SessionLimit | null;
  /** When the session was last fresh; default: now. */
  freshAt?: number;
  /** A long session ("remember me"); false: a browser session. Default: true. */
  persistent?: boolean;
  /** The factors that earned it: removing one of them ends the session. Default: none. */
  earnedBy?: EarnedBy;
}

export interface SessionRepo {
  create(session: NewSession): Promise<Session>;
  byIdHash(idHash: string): Promise<Session | undefined>;
  touch(idHash: string, lastSeenAt: number): Promise<void>;
  markFresh(idHash: string, freshAt: number): Promise<void>;
  /**
   * Records that the session's AAL2 lapsed (aal 1, seen at `now`), only while its AAL2 is still
   * the one proved at `aal2At`.
   */
  lapseAal2(idHash: string, aal2At: number, now: number): Promise<void>;
  /**
   * The session proved AAL2 again: it moves to `newIdHash` (a new id at a privilege change)
   * at AAL2, proved and fresh at `at`. False when the session is gone.
   */
  reauthenticate(idHash: string, newIdHash: string, at: number): Promise<boolean>;
  delete(idHash: string): Promise<boolean>;
  deleteForUser(userId: string): Promise<number>;
  /**
   * Ends, in one statement, every session of the user earned with any of `factors` (as first
   * or second factor), except `keepIdHash`; returns how many. Call it in the transaction that
   * removes the factor, so a removed factor never leaves a live session it earned.
   */
  deleteEarnedBy(userId: string, factors: FactorRef[], keepIdHash?: string): Promise<number>;
  deleteExpired(now: number, idleBefore: number): Promise<number>;
  /** The user's sessions (expired ones included until cleanup), newest first. */
  listForUser(userId: string): Promise<Session[]>;
  /** Deletes every session of the user except `keepIdHash`; returns how many. */
  deleteOthers(userId: string, keepIdHash: string): Promise<number>;
}

export type NewAccountToken = Omit<AccountToken, "createdAt" | "usedAt">;

/** Emailed single-use tokens (confirm, reset, recover, change email); only hashes are stored. */
export interface AccountTokenRepo {
  create(token: NewAccountToken): Promise<void>;
  /** An unused token of `purpose`, without spending it (to check its user and expiry first). */
  find(idHash: string, purpose: AccountTokenPurpose): Promise<AccountToken | undefined>;
  /**
   * Spends the token in one statement (`used_at` set only where it was null, for this purpose
   * and unexpired at `now`): of two racing callers exactly one gets it; others get undefined.
   */
  consume(
    idHash: string,
    purpose: AccountTokenPurpose,
    now: number,
  ): Promise<AccountToken | undefined>;
  /** Deletes the user's tokens (of `purpose`, or all), used or not; returns how many. */
  deleteForUser(userId: string, purpose?: AccountTokenPurpose): Promise<number>;
  /** Deletes tokens that expired or were used before `now`. */
  deleteExpired(now: number): Promise<number>;
}

/** A ceremony to store, of any kind (its `data` typed by `kind`). */
export type NewCeremony = NewCeremonyOf<CeremonyKind>;

export type NewCeremonyOf<K extends CeremonyKind> = K extends CeremonyKind
  ? Omit<CeremonyOf<K>, "id"> & NewCeremonyFields
  : never;

interface NewCeremonyFields {
  idHash: string;
  /**
   * The user answerable for this state: one who proved a factor, or holds the session, that
   * started it; null or absent for an anonymous start (a sign-in naming a user is still
   * anonymous). Process memory keeps the two apart, so anonymous starts never push out a
   * user's state; SQL and Redis evict nothing and do not keep it.
   */
  holder?: string | null;
}

export interface CeremonyRepo {
  /**
   * True when storing a state may push older ones out (process memory, capped): a start must
   * then be counted before its state is stored. SQL and Redis evict nothing, so a start's count
   * and its state may go out together, the state taken back if the count refuses it.
   */
  readonly evicts?: boolean;
  create(ceremony: NewCeremony): Promise<void>;
  /**
   * Removes and returns the ceremony in one statement, so of two racing callers one gets it.
   * Only a ceremony of `kind` (and, when given, bound to `sessionId`) matches; others stay.
   */
  consume<K extends CeremonyKind>(
    idHash: string,
    kind: K,
    sessionId?: string,
  ): Promise<CeremonyOf<K> | undefined>;
  /**
   * Only where the state and the start counters are rows of one PostgreSQL database: counts one
   * hit on each counter of `hits` (the ceremony counters) and stores the state unless a count
   * is past its limit, in one statement (one round trip, one commit). The counts come back in
   * the order of `hits`; a refused start stays counted and leaves no state.
   */
  createCounted?(
    ceremony: NewCeremony,
    hits: ReadonlyArray<{ key: string; limit: number }>,
    windowMs: number,
  ): Promise<RateLimitCount[]>;
  /**
   * Only where `createCounted` is: counts one hit on each key (the ceremony counters) and
   * takes the state as `consume` does, whatever the counts, in one statement; with
   * `credentialId`, it also reads that key and its owner as `byCredentialIdWithOwner` does
   * (`key`: null when there is none). The counts come back in the order of `keys`.
   */
  consumeCounted?<K extends CeremonyKind>(
    idHash: string,
    kind: K,
    sessionId: string | undefined,
    keys: readonly string[],
    windowMs: number,
    credentialId?: string,
  ): Promise<{
    counted: RateLimitCount[];
    ceremony: CeremonyOf<K> | undefined;
    key?: { credential: Credential; owner: User } | null;
  }>;
  /** Reads a ceremony without spending it (to see whom a pending state belongs to). */
  find<K extends CeremonyKind>(idHash: string, kind: K): Promise<CeremonyOf<K> | undefined>;
  deleteExpired(now: number): Promise<number>;
}

export type NewCredential = Omit<Credential, "id" | "lastUsedAt" | "flags" | "createdAt"> & {
  flags?: string[];
  /** Default now; an imported key keeps when it was registered and last used. */
  createdAt?: number;
  lastUsedAt?: number | null;
};

export interface CredentialUse {
  signCount: number;
  backupState: boolean;
  lastUsedAt: number;
  flags: string[];
}

export interface CredentialRepo {
  create(credential: NewCredential): Promise<Credential>;
  byCredentialId(credentialId: string): Promise<Credential | undefined>;
  /** The credential and its owner in one query (a sign-in needs both). */
  byCredentialIdWithOwner(
    credentialId: string,
  ): Promise<{ credential: Credential; owner: User } | undefined>;
  listForUser(userId: string): Promise<Credential[]>;
  recordUse(id: string, use: CredentialUse): Promise<void>;
  rename(userId: string, id: string, name: string): Promise<boolean>;
  delete(userId: string, id: string): Promise<boolean>;
  /** Deletes every key of the user, of both usages; returns how many. */
  deleteForUser(userId: string): Promise<number>;
}

// Defined in core (which reads events and counts attempts through them), implemented here.
export type { EventQuery, RateLimitCount, RateLimiter };

export interface EventRepo {
  add(event: Omit<AuditEvent, "id">): Promise<void>;
  list(query: EventQuery): Promise<AuditEvent[]>;
  /** Inside a transaction: runs `then` once it commits (see EventSink). */
  afterCommit?(then: () => void): void;
  /**
   * Inside a transaction that keeps its events until it ends (PostgreSQL): writes them, in one
   * statement. The transaction calls it before it commits.
   */
  flush?(): Promise<void>;
}

/** A user's second-factor settings (the `tf_*` columns of the user). */
export interface SecondFactorSettings {
  primaryMethod: string | null;
  /** The TOTP secret, encrypted (AES-256-GCM); null when TOTP is not enrolled. */
  totpSecret: string | null;
  /** The last TOTP time step accepted: a step at or before it is a replay. */
  totpLastStep: number | null;
  /** E.164 phone number for SMS codes; null when SMS is not enrolled. */
  phone: string | null;
  emailEnabled: boolean;
  /** Goes up at every change; remembered devices are bound to it, so a change revokes them. */
  revision: number;
}

export type SecondFactorChange = Partial<
  Pick<
    SecondFactorSettings,
    "primaryMethod" | "totpSecret" | "totpLastStep" | "phone" | "emailEnabled"
  >
>;

export interface SecondFactorRepo {
  get(userId: string): Promise<SecondFactorSettings | undefined>;
  /** Applies `change` and bumps the revision, even when `change` is empty. */
  change(userId: string, change: SecondFactorChange): Promise<void>;
  /**
   * Records a TOTP time step as used, in one statement, only when it is later than the last
   * one used; false means the step (or a later one) was already used: a replay.
   */
  acceptTotpStep(userId: string, step: number): Promise<boolean>;
}

export interface RecoveryCode {
  id: string;
  codeHash: string;
}

export interface RecoveryCodeRepo {
  /** Deletes the user's codes and stores these instead. Call inside a transaction. */
  replace(userId: string, codeHashes: string[]): Promise<void>;
  listUnused(userId: string): Promise<RecoveryCode[]>;
  /** Marks a code used, only if it was unused: false when another request got there first. */
  markUsed(id: string, usedAt: number): Promise<boolean>;
  countUnused(userId: string): Promise<number>;
  deleteForUser(userId: string): Promise<number>;
}

/** An SMS or email code waiting to be typed: bound to the state it was sent for. */
export interface OneTimeCode {
  id: string;
  userId: string;
  /** Hash of the pending sign-in or setup state the code was sent for. */
  boundTo: string;
  channel: "sms" | "email";
  codeHash: string;
  destination: string;
  attempts: number;
  expiresAt: number;
}

export type NewOneTimeCode = Omit<OneTimeCode, "id" | "attempts">;

export interface OneTimeCodeRepo {
  /** Stores a code, replacing any code bound to the same state (a resend spends the old one). */
  put(code: NewOneTimeCode): Promise<void>;
  find(boundTo: string): Promise<OneTimeCode | undefined>;
  /** Counts one attempt in one statement; false when the code is gone or its attempts used up. */
  countAttempt(id: string, maxAttempts: number): Promise<boolean>;
  /** Deletes the code; true only for the one caller that deleted it (single use). */
  take(id: string): Promise<boolean>;
  deleteExpired(now: number): Promise<number>;
}

/** Durable storage. Only `store/` knows SQL; features talk to these repositories. */
export interface Store {
  readonly dialect: "sqlite" | "postgres";
  readonly users: UserRepo;
  readonly sessions: SessionRepo;
  readonly ceremonies: CeremonyRepo;
  readonly credentials: CredentialRepo;
  readonly events: EventRepo;
  readonly secondFactors: SecondFactorRepo;
  readonly recoveryCodes: RecoveryCodeRepo;
  readonly oneTimeCodes: OneTimeCodeRepo;
  readonly rateLimits: RateLimiter;
  /**
   * Counters bound to ceremonies, kept where the states are (the rate-limit counters in SQL or
   * Redis, process memory when the states live there): ceremony starts
   * (session/ceremony-state.ts) and failed key sign-ins, each of which spent a state
   * (account/signin-limits.ts). Password failures stay in `rateLimits`, which survive a restart.
   */
  readonly ceremonyCounters: RateLimiter;
  readonly accountTokens: AccountTokenRepo;
  /** Runs `work` atomically: every write in it commits, or none does. */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  /** Throws StoreUnavailableError when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The repositories features read and write through: the root store's, or a transaction's.
 * Neither a transaction nor an event is reachable from here: a feature opens a unit of work
 * with `ctx.transaction` and records events with `tx.record` / `ctx.record` (context.ts), so
 * an event is always written where its change is.
 */
export type Repositories = Omit<Store, "events" | "transaction" | "ping" | "close">;

import type {
  Aal,
  Amr,
  AuditEvent,
  Ceremony,
  CeremonyKind,
  Credential,
  Session,
  User,
} from "../core/types.js";

export interface NewUser {
  email: string;
  username: string | null;
  passwordHash: string | null;
  webauthnUserHandle: string;
}

export interface UserRepo {
  create(user: NewUser): Promise<User>;
  byId(id: string): Promise<User | undefined>;
  byEmail(email: string): Promise<User | undefined>;
  byUsername(username: string): Promise<User | undefined>;
  byWebauthnUserHandle(handle: string): Promise<User | undefined>;
  setPasswordHash(id: string, passwordHash: string | null): Promise<void>;
  setActive(id: string, active: boolean): Promise<void>;
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
}

export interface SessionRepo {
  create(session: NewSession): Promise<Session>;
  byIdHash(idHash: string): Promise<Session | undefined>;
  touch(idHash: string, lastSeenAt: number): Promise<void>;
  markFresh(idHash: string, freshAt: number): Promise<void>;
  delete(idHash: string): Promise<boolean>;
  deleteForUser(userId: string): Promise<number>;
  deleteExpired(now: number, idleBefore: number): Promise<number>;
}

export type NewCeremony = Omit<Ceremony, "id"> & { idHash: string };

export interface CeremonyRepo {
  create(ceremony: NewCeremony): Promise<void>;
  /**
   * Removes and returns the ceremony in one statement, so of two racing callers one gets it.
   * Only a ceremony of `kind` (and, when given, bound to `sessionId`) matches; others stay.
   */
  consume(idHash: string, kind: CeremonyKind, sessionId?: string): Promise<Ceremony | undefined>;
  /** Reads a ceremony without spending it (to see whom a pending state belongs to). */
  find(idHash: string, kind: CeremonyKind): Promise<Ceremony | undefined>;
  deleteExpired(now: number): Promise<number>;
}

export type NewCredential = Omit<Credential, "id" | "lastUsedAt" | "flags" | "createdAt">;

export interface CredentialUse {
  signCount: number;
  backupState: boolean;
  lastUsedAt: number;
  flags: string[];
}

export interface CredentialRepo {
  create(credential: NewCredential): Promise<Credential>;
  byCredentialId(credentialId: string): Promise<Credential | undefined>;
  listForUser(userId: string): Promise<Credential[]>;
  recordUse(id: string, use: CredentialUse): Promise<void>;
  rename(userId: string, id: string, name: string): Promise<boolean>;
  delete(userId: string, id: string): Promise<boolean>;
}

export interface EventQuery {
  userId?: string;
  type?: string;
  since?: number;
  until?: number;
  limit?: number;
}

export interface EventRepo {
  add(event: Omit<AuditEvent, "id">): Promise<void>;
  list(query: EventQuery): Promise<AuditEvent[]>;
}

/** Durable storage. Only `store/` knows SQL; features talk to these repositories. */
export interface Store {
  readonly dialect: "sqlite" | "postgres";
  readonly users: UserRepo;
  readonly sessions: SessionRepo;
  readonly ceremonies: CeremonyRepo;
  readonly credentials: CredentialRepo;
  readonly events: EventRepo;
  /** Runs `work` atomically: every write in it commits, or none does. */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  /** Throws StoreUnavailableError when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

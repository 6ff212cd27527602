import type { Clock } from "./clock.js";
import type { AccountTokenPurpose, Amr, CeremonyKind, Usage } from "./types.js";

/**
 * How a sign-in's first step was made (`user.login`): a password, a key, or none at all for
 * the session sign-up starts (`sign-up`); `email` and `sms` for a one-time code as first factor.
 */
export type SignInMethod = "password" | "webauthn" | "sign-up" | "email" | "sms";

/** Where a refused attempt was (`user.login-failed`): first factor, second factor, or step-up. */
export type SignInStage = "sign-in" | "second-factor" | "verify";

/**
 * Every event Keyward emits, with its detail. Also written to the durable event table.
 * A new event is named `family.past-participle` (`account.email-changed`), account events under
 * `account.*`; older names that do not follow this stay, as names are public (docs/events.md).
 */
export interface KeywardEventMap {
  /** An account was created: POST /register, or `keyward users create`. */
  "user.registered": { email: string; passwordless: boolean };
  /**
   * A sign-in ended in a session, whatever the way: exactly one per session issued (a password,
   * a passkey, either followed by a second factor, a recovery code, a remembered device, the
   * sign-in after a password reset, or sign-up's own session). Not for the limited session a
   * recovery link opens (see account.recovered). `method` is the first step (`"sign-up"` for
   * the session a new account starts with), `factors` the session's amr, `secondFactor` the
   * second step's method when there was one.
   */
  "user.login": {
    method: SignInMethod;
    factors: Amr[];
    aal: number;
    secondFactor: string | null;
  };
  /**
   * A sign-in attempt was refused, at any door and for any reason (a wrong password or code,
   * a refused key assertion, a spent or expired state, a disabled or locked account, too many
   * attempts): exactly one per refusal. `userId` is set when the attempt named or proved an
   * account, even where the HTTP answer does not say so; the identifier typed is never
   * recorded (it may be a password typed in the wrong field). `stage` is `sign-in` (the first
   * factor), `second-factor`, or `verify` (re-verification of a signed-in user); `method` is
   * what was tried; `reason` the error code in kebab case (`invalid-credentials`,
   * `account-locked`, `rate-limited`…). The app's `policy.onSignInFailed` sees each one.
   */
  "user.login-failed": {
    reason: string;
    method: string;
    stage: SignInStage;
    userAgent: string | null;
  };
  /** POST /logout ended a session. */
  "user.logout": Record<string, never>;
  /**
   * The signed-in user proved it is them again (step-up): their password (POST /verify) or a
   * key (POST /wan-verify-response); the session is fresh. Exactly one per re-verification;
   * `reauthenticated` says it also proved AAL2 again (session.reauthenticated says so too).
   */
  "session.verified": { method: "password" | "webauthn"; reauthenticated: boolean; aal: number };
  /**
   * A session that signed in at AAL2 proved it again with a passkey and user verification
   * (POST /wan-verify-response): AAL2 again, its SP 800-63B-4 bounds restarted, under a new
   * session id.
   */
  "session.reauthenticated": { method: "webauthn"; aal: number };
  /**
   * A key was registered (POST /wan-register-response). `createdBy` is "upgrade" for a passkey
   * the browser made on its own right after a password sign-in (automatic passkey upgrade,
   * POST /wan-upgrade), "user" for one the user added.
   */
  "webauthn.registered": {
    credentialId: string;
    name: string;
    usage: Usage;
    aaguid: string;
    createdBy: "user" | "upgrade";
  };
  /**
   * A key was deleted: POST /wan-delete, or `keyward keys delete`. The sessions it earned
   * ended with it (`sessionsRevoked`; with a secondary key, those of remembered devices too).
   */
  "webauthn.deleted": {
    credentialId: string;
    name: string;
    usage: Usage;
    sessionsRevoked: number;
    /** It was the only second factor: two-step verification went with it (and its recovery codes). */
    twoFactorDisabled: boolean;
    /** The account has no password and no passkey left (the user confirmed exactly that). */
    leftWithoutSignIn: boolean;
  };
  /** A key was renamed (POST /wan-rename). */
  "webauthn.renamed": { credentialId: string; from: string; to: string };
  /** A key assertion was accepted at sign-in, as first or second factor. */
  "webauthn.signin": { credentialId: string; usage: Usage; uv: boolean; aal: number };
  /** A key re-verified the signed-in user (POST /wan-verify-response); the session is fresh. */
  "webauthn.verify": { credentialId: string; usage: Usage };
  /**
   * A key's signature counter went backwards (a possible clone); the key is flagged and the
   * sessions it had earned end (`sessionsRevoked`).
   */
  "webauthn.counter-regression": {
    credentialId: string;
    stored: number;
    received: number;
    sessionsRevoked: number;
  };
  /**
   * A key's assertion claimed a backup eligibility (BE) other than the one it was registered
   * with (`stored`); it was refused. BE is fixed for a credential's life (WebAuthn §6.1.3).
   */
  "webauthn.backup-eligibility-changed": {
    credentialId: string;
    stored: boolean;
    received: boolean;
  };
  /** A first factor passed and a second one is needed: no session yet. */
  "two-factor.required": { methods: string[] };
  /** A setup began (TOTP secret issued, or an SMS/email confirmation code sent). */
  "two-factor.setup-started": { method: string };
  /**
   * A method was confirmed with a valid code and is now enrolled. Replacing an enrolled TOTP
   * secret or phone ends the other sessions the old one earned (`sessionsRevoked`).
   */
  "two-factor.enabled": { method: string; sessionsRevoked: number };
  /** A setup confirmation failed (wrong or expired code). */
  "two-factor.setup-failed": { method: string; reason: string };
  /**
   * Second-factor methods were turned off (POST /tf-setup `disable`), or the only second-factor
   * key was deleted (`methods: ["webauthn"]`); the sessions they earned ended.
   */
  "two-factor.disabled": { methods: string[]; sessionsRevoked: number };
  /**
   * An SMS or email code was sent: for a second factor at sign-in ("signin"), for setup, or
   * as the first factor ("code-signin", POST /code-signin).
   */
  "two-factor.code-sent": {
    method: "sms" | "email";
    purpose: "signin" | "setup" | "code-signin";
  };
  /** A second factor was proved at sign-in; `method` includes "webauthn" and "remembered-device". */
  "two-factor.succeeded": { method: string; aal: number };
  /** A second-factor attempt at sign-in failed. */
  "two-factor.failed": { method: string; reason: string };
  /** The first refusal in a window: someone is hammering codes or sends. */
  "two-factor.rate-limited": { action: "attempt" | "send"; scope: "user" | "ip" | "destination" };
  /** The first refusal in a window of ceremony starts from one IP or for one user: a flood. */
  "ceremony.rate-limited": { kind: CeremonyKind; scope: "ip" | "user" };
  /** The user chose to remember this device: its sign-ins skip the second factor until `until`. */
  "two-factor.device-remembered": { until: string };
  /**
   * A new set of recovery codes was issued; earlier codes no longer work, and the other
   * sessions a recovery code earned ended (`sessionsRevoked`).
   */
  "two-factor.recovery-codes-generated": { count: number; sessionsRevoked: number };
  /** A recovery code was spent as a second factor. */
  "two-factor.recovery-code-used": { remaining: number };
  /** An administrator disabled the account (`keyward users deactivate`); its sessions end. */
  "user.deactivated": { by: string; sessionsRevoked: number };
  /** An administrator enabled a disabled account again (`keyward users activate`). */
  "user.activated": { by: string };
  /**
   * The account was locked: every sign-in is refused until it is unlocked or `until` passes.
   * `by` is `"policy"` (the app's `policy.onSignInFailed`) or the administrator (`"cli"`).
   * Its sessions stay (deactivate the account to end them).
   */
  "account.locked": { by: string; reason: string; until: string | null };
  /** An administrator lifted the account's lock (`keyward users unlock`). */
  "account.unlocked": { by: string };
  /**
   * An administrator cleared the user's second-factor settings (`keyward two-factor reset`):
   * TOTP, SMS, email and recovery codes; WebAuthn keys stay. The sessions those factors (or
   * a remembered device) earned ended.
   */
  "two-factor.reset": {
    by: string;
    methods: string[];
    recoveryCodesDeleted: number;
    sessionsRevoked: number;
  };
  /** An emailed single-use link was sent (its token is stored hashed). */
  "account.token-sent": { purpose: AccountTokenPurpose };
  /**
   * The first refusal in a window: of account mails (confirm, reset, recover) to an address or
   * IP (`mail`), or of sign-in attempts (passwords at every door, keys) for an account or IP
   * (`signin`; `userId` is set when the account is known).
   */
  "account.rate-limited": { action: "mail" | "signin"; scope: "address" | "account" | "ip" };
  /** The user confirmed their email address with the emailed link. */
  "account.email-confirmed": { email: string };
  /** A reset link set a new password; every session of the user was revoked. */
  "account.password-reset": { sessionsRevoked: number };
  /**
   * A reset or recovery link, or an emailed sign-in code, proved the mailbox of an account
   * whose address was never confirmed: the password and every key, second factor, recovery
   * code and session added before were removed (whether, counts), remembered devices and
   * waiting sign-ins voided, pending links deleted.
   */
  "account.unconfirmed-holder-removed": {
    via: "reset-password" | "recover-account" | "code-signin";
    password: boolean;
    keys: number;
    secondFactors: string[];
    recoveryCodes: number;
    sessions: number;
  };
  /** A recovery link opened a limited session that can only register a new key. */
  "account.recovered": { recoveryCodeUsed: boolean; limited: "recovery" };
  /** An administrator set the user's password; every session ended. */
  "account.password-set": { by: string; sessionsRevoked: number };
  /**
   * An administrator reset the user's access: keys, second factors, recovery codes and the
   * password removed, sessions ended, and a single-use link (`link`: its purpose) issued.
   */
  "account.access-reset": {
    by: string;
    keysRemoved: number;
    methods: string[];
    recoveryCodesDeleted: number;
    sessionsRevoked: number;
    passwordRemoved: boolean;
    link: AccountTokenPurpose;
  };
  /** The signed-in user changed (or first set) the password; their other sessions were revoked. */
  "account.password-changed": { firstPassword: boolean; sessionsRevoked: number };
  /** The user asked to change their email; a confirmation link went to the new address (`to`). */
  "account.email-change-requested": { to: string };
  /** The user confirmed the new address; the account now uses it. */
  "account.email-changed": { from: string; to: string };
  /**
   * An account came in with `keyward import` (or `auth.api.importUsers`) from another system
   * (`source`): its user handle and `keys` WebAuthn keys as they were, and its password hash
   * (`passwordScheme`, verified at the next sign-in), or none.
   */
  "account.imported": {
    source: string;
    by: string;
    keys: number;
    passwordScheme: string | null;
  };
  /** A key was added to an account that was imported before (a re-run with new keys). */
  "account.import-keys-added": { source: string; by: string; keys: number };
  /** A right password replaced an imported (or older) hash with Keyward's argon2id. */
  "account.password-rehashed": { from: string };
  /** One session ended by its owner from the session list (`sessionId` is its public id). */
  "session.revoked": { sessionId: string };
  /** Sign out everywhere: every session of the user was revoked. */
  "session.revoked-all": { sessionsRevoked: number };
}

export type KeywardEventType = keyof KeywardEventMap;

export interface KeywardEvent<T extends KeywardEventType = KeywardEventType> {
  type: T;
  userId: string | null;
  at: number;
  ip: string | null;
  detail: KeywardEventMap[T];
}

type Handler<T extends KeywardEventType> = (event: KeywardEvent<T>) => void | Promise<void>;

/** Where an event is made durable; the store passed in may be inside a transaction. */
export interface EventSink {
  add(event: {
    userId: string | null;
    type: string;
    at: number;
    ip: string | null;
    detail: Record<string, unknown>;
  }): Promise<void>;
  /** A sink inside a transaction runs `then` once it commits, and never if it rolls back. */
  afterCommit?(then: () => void): void;
}

/**
 * Typed signals at every state change. `record` writes the event with the change it describes
 * (same store, same transaction) and tells listeners once that is committed; a failing listener is logged,
 * never allowed to break authentication.
 */
export class KeywardEvents {
  private readonly handlers = new Map<KeywardEventType, Set<Handler<KeywardEventType>>>();

  constructor(
    private readonly clock: Clock,
    private readonly onHandlerError: (error: unknown) => void = (error) =>
      console.error("keyward: event handler failed", error),
  ) {}

  on<T extends KeywardEventType>(type: T, handler: Handler<T>): () => void {
    const set = this.handlers.get(type) ?? new Set();
    set.add(handler as unknown as Handler<KeywardEventType>);
    this.handlers.set(type, set);
    return () => set.delete(handler as unknown as Handler<KeywardEventType>);
  }

  async record<T extends KeywardEventType>(
    sink: EventSink,
    type: T,
    who: { userId: string | null; ip: string | null },
    detail: KeywardEventMap[T],
  ): Promise<void> {
    const event: KeywardEvent<T> = {
      type,
      userId: who.userId,
      ip: who.ip,
      at: this.clock.now(),
      detail,
    };
    await sink.add({ ...event, detail: detail as Record<string, unknown> });
    // Listeners hear only of what is stored: an event written in a transaction waits for it.
    const notify = () => this.notify(event);
    if (sink.afterCommit) sink.afterCommit(notify);
    else notify();
  }

  private notify<T extends KeywardEventType>(event: KeywardEvent<T>): void {
    for (const handler of this.handlers.get(event.type) ?? []) {
      queueMicrotask(() => {
        Promise.resolve()
          .then(() => handler(event as unknown as KeywardEvent<KeywardEventType>))
          .catch(this.onHandlerError);
      });
    }
  }
}

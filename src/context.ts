import type { KeywardConfig } from "./config/schema.js";
import type { BackgroundTasks } from "./core/background.js";
import type { Clock } from "./core/clock.js";
import type { KeywardEventMap, KeywardEvents, KeywardEventType } from "./core/events.js";
import type { SignInPolicy } from "./core/policy.js";
import type { Mailer, SmsSender } from "./factors/delivery.js";
import type { FactorRegistry } from "./factors/registry.js";
import type { Languages } from "./i18n/offered.js";
import type { Cookies } from "./session/cookies.js";
import type { Sessions } from "./session/sessions.js";
import type { HealthReport } from "./store/open.js";
import type { Repositories, Store } from "./store/store.js";
import type { WebauthnUtil } from "./webauthn/util.js";

/** Who an event is about, and from where. */
export interface EventActor {
  userId: string | null;
  ip: string | null;
}

/** Records an audit event (and tells listeners once it is committed). */
export type RecordEvent = <T extends KeywardEventType>(
  type: T,
  who: EventActor,
  detail: KeywardEventMap[T],
) => Promise<void>;

/**
 * One transaction: its repositories, and `record`, which writes an event in it. Every write
 * made through it, events included, commits together or not at all.
 */
export interface UnitOfWork extends Repositories {
  readonly record: RecordEvent;
}

/** The one way features write atomically, and the one way they record events outside of that. */
export interface Work {
  /**
   * Runs `work` in one transaction (on SQLite, shared with the others of its event-loop turn:
   * store/kysely/group-commit.ts); listeners hear of its events once it commits. Never open
   * one inside another: the inner one would wait for the outer one's connection.
   */
  transaction<T>(work: (tx: UnitOfWork) => Promise<T>): Promise<T>;
  /**
   * Records an event on its own, outside any transaction: for events that are the whole
   * change (a failure, a refusal, a code sent). An event about a write goes on that write's
   * unit of work instead (`tx.record`).
   */
  readonly record: RecordEvent;
}

/** What every feature is handed: validated config, the store, the clock, sessions, events, policy. */
export interface KeywardContext extends Work {
  readonly config: KeywardConfig;
  /** Reads, and single writes that need no transaction; anything more goes through `transaction`. */
  readonly store: Repositories;
  readonly clock: Clock;
  readonly sessions: Sessions;
  /** Keyward's cookies: names and the Secure flag, decided from configuration at start. */
  readonly cookies: Cookies;
  readonly webauthnUtil: WebauthnUtil;
  /** The second-factor methods here: the built-in ones and the app's own (`secondFactors`). */
  readonly factors: FactorRegistry;
  /** The app's sign-in policy hooks (option `policy`): lockout, who owes a second factor. */
  readonly policy: SignInPolicy;
  /** The app's AAGUID → authenticator name map (option `authenticatorNames`), keys normalised. */
  readonly authenticatorNames: Readonly<Record<string, string>>;
  /** Sends SMS second-factor codes (the app's sender, or the console one). */
  readonly sms: SmsSender;
  /** Sends email second-factor codes (the app's mailer, or the console one). */
  readonly mailer: Mailer;
  /** Checks every backing service (database, Redis) within about a second; never throws. */
  readonly health: () => Promise<HealthReport>;
  /** Work finished after the response (account mails); shutdown waits for it. */
  readonly background: BackgroundTasks;
  /** The languages offered (shipped and the app's); a request's is `Caller.locale`. */
  readonly languages: Languages;
}

/** `transaction` and `record` over a store, recording through `events` (its listeners). */
export function workOn(store: Store, events: KeywardEvents): Work {
  const unitOf = (tx: Store): UnitOfWork => ({
    dialect: tx.dialect,
    users: tx.users,
    sessions: tx.sessions,
    ceremonies: tx.ceremonies,
    credentials: tx.credentials,
    secondFactors: tx.secondFactors,
    recoveryCodes: tx.recoveryCodes,
    oneTimeCodes: tx.oneTimeCodes,
    rateLimits: tx.rateLimits,
    ceremonyCounters: tx.ceremonyCounters,
    accountTokens: tx.accountTokens,
    record: (type, who, detail) => events.record(tx.events, type, who, detail),
  });
  return {
    transaction: (work) => store.transaction((tx) => work(unitOf(tx))),
    record: (type, who, detail) => events.record(store.events, type, who, detail),
  };
}

import type { KeywardConfig } from "./config/schema.js";
import type { BackgroundTasks } from "./core/background.js";
import type { Clock } from "./core/clock.js";
import type { KeywardEvents } from "./core/events.js";
import type { Mailer, SmsSender } from "./factors/delivery.js";
import type { Cookies } from "./session/cookies.js";
import type { Sessions } from "./session/sessions.js";
import type { Store } from "./store/store.js";
import type { WebauthnUtil } from "./webauthn/util.js";

/** What every feature is handed: validated config, the store, the clock, sessions, events, policy. */
export interface KeywardContext {
  readonly config: KeywardConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly sessions: Sessions;
  /** Keyward's cookies: names and the Secure flag, decided from configuration at start. */
  readonly cookies: Cookies;
  readonly events: KeywardEvents;
  readonly webauthnUtil: WebauthnUtil;
  /** The app's AAGUID → authenticator name map (option `authenticatorNames`), keys normalised. */
  readonly authenticatorNames: Readonly<Record<string, string>>;
  /** Sends SMS second-factor codes (the app's sender, or the console one). */
  readonly sms: SmsSender;
  /** Sends email second-factor codes (the app's mailer, or the console one). */
  readonly mailer: Mailer;
  /** Checks every backing service (database, Redis); throws StoreUnavailableError if one is down. */
  readonly health: () => Promise<void>;
  /** Work finished after the response (account mails); shutdown waits for it. */
  readonly background: BackgroundTasks;
}

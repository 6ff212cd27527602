import type { KeywardConfig } from "./config/schema.js";
import type { Clock } from "./core/clock.js";
import type { KeywardEvents } from "./core/events.js";
import type { Sessions } from "./session/sessions.js";
import type { Store } from "./store/store.js";
import type { WebauthnUtil } from "./webauthn/util.js";

/** What every feature is handed: validated config, the store, the clock, sessions, events, policy. */
export interface KeywardContext {
  readonly config: KeywardConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly sessions: Sessions;
  readonly events: KeywardEvents;
  readonly webauthnUtil: WebauthnUtil;
}

import type { Clock } from "./clock.js";
import type { Usage } from "./types.js";

/** Every event Keyward emits, with its detail. Also written to the durable event table. */
export interface KeywardEventMap {
  "user.registered": { email: string; passwordless: boolean };
  "user.login": { method: "password" | "webauthn"; aal: number };
  "user.login-failed": { reason: string };
  "user.logout": Record<string, never>;
  "session.verified": { method: "password" | "webauthn" };
  "webauthn.registered": { credentialId: string; name: string; usage: Usage; aaguid: string };
  "webauthn.deleted": { credentialId: string; name: string; usage: Usage };
  "webauthn.renamed": { credentialId: string; from: string; to: string };
  "webauthn.signin": { credentialId: string; usage: Usage; uv: boolean; aal: number };
  "webauthn.verify": { credentialId: string; usage: Usage };
  "webauthn.counter-regression": { credentialId: string; stored: number; received: number };
  "two-factor.required": { methods: string[] };
  /** A setup began (TOTP secret issued, or an SMS/email confirmation code sent). */
  "two-factor.setup-started": { method: "totp" | "sms" | "email" };
  /** A method was confirmed with a valid code and is now enrolled. */
  "two-factor.enabled": { method: "totp" | "sms" | "email" };
  "two-factor.setup-failed": { method: "totp" | "sms" | "email"; reason: string };
  "two-factor.disabled": { methods: string[] };
  "two-factor.code-sent": { method: "sms" | "email"; purpose: "signin" | "setup" };
  /** A second factor was proved at sign-in; `method` includes "webauthn" and "remembered-device". */
  "two-factor.succeeded": { method: string; aal: number };
  "two-factor.failed": { method: string; reason: string };
  /** The first refusal in a window: someone is hammering codes or sends. */
  "two-factor.rate-limited": { action: "attempt" | "send"; scope: "user" | "ip" };
  "two-factor.device-remembered": { until: string };
  "two-factor.recovery-codes-generated": { count: number };
  "two-factor.recovery-code-used": { remaining: number };
  /** An administrator disabled the account (`keyward users deactivate`); its sessions end. */
  "user.deactivated": { by: string; sessionsRevoked: number };
  /** An administrator enabled a disabled account again (`keyward users activate`). */
  "user.activated": { by: string };
  /**
   * An administrator cleared the user's second-factor settings (`keyward two-factor reset`):
   * TOTP, SMS, email and recovery codes; WebAuthn keys stay.
   */
  "two-factor.reset": { by: string; methods: string[]; recoveryCodesDeleted: number };
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
}

/**
 * Typed signals at every state change. `record` writes the event with the change it describes
 * (same store, same transaction) and tells listeners afterwards; a failing listener is logged,
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
    this.notify(event);
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

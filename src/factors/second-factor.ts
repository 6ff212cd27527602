import type { z } from "zod";
import type { KeywardContext } from "../context.js";
import type { ClientInfo } from "../core/caller.js";
import type { Amr, CeremonyData, CeremonyOf, Credential, FactorRef, User } from "../core/types.js";
import type { SecondFactorChange, SecondFactorSettings } from "../store/store.js";

/** Everything that decides a user's second factors, read once. */
export interface Enrolment {
  userId: string;
  email: string;
  /** User.securityEpoch when this was read: remembered devices are bound to it. */
  securityEpoch: number;
  settings: SecondFactorSettings;
  /** The user's `secondary` WebAuthn keys. */
  keys: Credential[];
  /** Whether the user has a `first` key that has verified its user (it reaches AAL2 alone). */
  hasMultiFactorKey: boolean;
  recoveryCodesLeft: number;
  /** The app's own second factors (option `secondFactors`) this user holds, by name. */
  app: readonly string[];
}

/**
 * One second-factor method: how an account enrols it, how a sign-in starts and proves it, how
 * it is described and removed, and what it counts as (roaming or bound to one platform).
 * TOTP, SMS, email, recovery codes and keys each implement it in `factors/methods/`;
 * `factors/registry.ts` lists them, and routes, pages and policy ask the registry (through
 * `factors/methods.ts`), never a list of their own. A member a method leaves out is a step
 * that happens elsewhere for it (a key signs in through /wan-signin-response, and is added and
 * removed through /wan-register and /wan-delete).
 */
export interface SecondFactor {
  /**
   * The method's name: in `twoFactor.methods`, in the API's `method` fields and events, and
   * the reference a session earned with it records.
   */
  readonly method: string;
  /** What a session earned with it records (but for keys, which record each key). */
  readonly ref?: FactorRef;
  /** How a session records its proof (RFC 8176); keys say `hwk` or `swk` per key. */
  readonly amr?: Amr;
  /**
   * How a person completes it at sign-in: a key ceremony, a code they have, a code sent, or
   * an approval given elsewhere (an app's push factor: /tf-validate without a code, polled).
   */
  readonly prompt: "key" | "code" | "send" | "approval";
  /** What pages call it, for an app's factor (built-in methods have their own message keys). */
  readonly label?: string;
  /**
   * What the account holds of this method, one Factor for each thing that can be lost (each
   * key; an app; a number; a mailbox); empty when not enrolled.
   */
  enrolled(enrolment: Pick<Enrolment, "settings" | "keys" | "app">): Factor[];
  /**
   * A stand-in for the other methods (recovery codes): never counted as a factor, not named in
   * `twoFactor.methods`, offered last while the account has another factor and this says so.
   */
  standsIn?(enrolment: Enrolment): boolean;
  /** What the user sees of it in their status: no secrets, numbers and addresses masked. */
  describe?(enrolment: Enrolment): FactorStatus;
  /** At sign-in, once picked (/tf-select): sends what must be sent (an SMS or email code). */
  select?(ctx: KeywardContext, pending: PendingProof, client: ClientInfo): Promise<Partial<Sent>>;
  /**
   * At sign-in (/tf-validate): checks a typed code (or, for an approval, whether it was
   * given: `code` undefined), throwing a KeywardError when it is not proved.
   */
  verify?(
    ctx: KeywardContext,
    pending: PendingProof,
    code: string | undefined,
    client: ClientInfo,
  ): Promise<void>;
  /** Enrolment through /tf-setup and /tf-setup-validate. */
  readonly setup?: FactorSetup;
  /** The settings change that removes it (/tf-setup `disable`, admin reset, a mailbox's proof). */
  readonly disable?: SecondFactorChange;
  /** Whether the settings hold it (enrolled even where the configuration no longer offers it). */
  held?(settings: SecondFactorSettings): boolean;
}

/**
 * One usable second factor. Roaming factors work from any device (an authenticator app, a
 * phone number, a mailbox, a security key); a platform-bound key is lost with its device.
 */
export interface Factor {
  method: string;
  /** The key's row id, for WebAuthn factors. */
  keyId?: string;
  roaming: boolean;
}

/** Each method's part of a user's two-factor status. */
export interface FactorStatus {
  totp?: boolean;
  sms?: { phone: string } | null;
  email?: { address: string } | null;
  keys?: { id: string; name: string; roaming: boolean }[];
  /** The app's own factors the user holds, and what the pages call them. */
  app?: { method: string; label: string }[];
}

/** A sign-in waiting for this factor: its user, what they enrolled, its state. */
export interface PendingProof {
  user: User;
  enrolment: Enrolment;
  state: string;
}

/** A code sent: where to (masked), and until when it is good. */
export interface Sent {
  destination: string;
  expiresAt: number;
}

/** Setting a method up: begin (something to scan, or a code sent), then prove it with a code. */
export interface FactorSetup {
  /** Input the method needs besides `method` and `state` (SMS: the phone number). */
  readonly fields?: z.ZodRawShape;
  /**
   * Step 1 for `user`: what the setup state keeps (sealed, never a secret in the clear), and
   * once the state exists, what the user is given to finish it (a secret to scan, or a code
   * sent and where to).
   */
  begin(
    ctx: KeywardContext,
    user: User,
    input: Record<string, unknown>,
  ): SetupBegun | Promise<SetupBegun>;
  /** Step 2: checks `code` against the factor being set up; what to save when it is right. */
  prove(
    ctx: KeywardContext,
    setup: CeremonyOf<"tf-setup">,
    code: string | undefined,
    stateHash: string,
  ): Promise<SecondFactorChange>;
  /** Whether saving `change` replaces an enrolled factor of this method (what it earned ends). */
  replaces(before: SecondFactorSettings, change: SecondFactorChange): boolean;
}

export interface SetupBegun {
  data: Omit<CeremonyData["tf-setup"], "method" | "pending">;
  deliver(stateHash: string, client: ClientInfo): Promise<SetupOffer>;
}

/** What a started setup gives the user. */
export type SetupOffer =
  | { secret: string; otpauthUri: string; qrSvg: string }
  | { destination: string; expiresAt: number }
  /** An app's own factor: a pairing code for its app, or where a pairing message went. */
  | { pairingCode?: string; destination?: string };

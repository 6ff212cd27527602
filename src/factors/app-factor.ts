import { ErrorCode, KeywardError } from "../core/errors.js";
import { hashToken } from "../core/ids.js";
import type { Amr, FactorRef } from "../core/types.js";
import { limitAttempts } from "./attempts.js";
import type { FactorSetup, PendingProof, SecondFactor } from "./second-factor.js";

/**
 * A second factor the app brings itself (option `secondFactors` of createKeyward): a push
 * approval, a hardware token your company already runs, a code from your own service. The
 * app owns its storage and its delivery; Keyward owns the sign-in around it: the pending
 * state (single use, bound to the first factor's client), the attempt and send limits, the
 * lock, the session (AAL2, `earnedBy` `app:<name>`) and the events.
 *
 * Enrolment happens in the app (guard that page with `auth.require({ aal: 2, fresh: "5m" })`
 * once the account has a factor) or through /tf-setup when the factor has `setup`; either way
 * Keyward asks `isEnrolled` whenever it needs to know.
 *
 * @example
 * const push: AppSecondFactor = {
 *   name: "push",
 *   label: "Approve on your phone",
 *   roaming: true,
 *   prompt: "approval",
 *   isEnrolled: (userId) => devices.has(userId),
 *   select: ({ userId, attemptId }) => { pushService.send(userId, attemptId); },
 *   verify: ({ attemptId }) => pushService.answer(attemptId), // "approved" | "pending" | "rejected"
 * };
 */
export interface AppSecondFactor {
  /**
   * The method's name: in `twoFactor.methods`, the API's `method` fields, events, and (as
   * `app:<name>`) the factor a session records. Lower-case letters, digits and dashes, 2 to 32
   * characters, starting with a letter; never a built-in method's name (refused at start).
   */
  readonly name: string;
  /** What the pages call it ("Approve on your phone"). */
  readonly label: string;
  /**
   * Whether it works from any device (a phone app the user can reinstall, a token they
   * carry) or is lost with one device; `twoFactor.requireRoamingFactor` counts it so.
   */
  readonly roaming: boolean;
  /**
   * How the user completes it: `"code"`, a code they type (POST /tf-validate with `code`);
   * `"approval"`, an approval given elsewhere, which the client polls (POST /tf-validate
   * without a code answers 409 TWO_FACTOR_APPROVAL_PENDING until then).
   */
  readonly prompt: "code" | "approval";
  /**
   * What a session earned with it records in `amr` (RFC 8176). Default: `"otp"` for a code,
   * `"mca"` (multiple-channel authentication) for an approval.
   */
  readonly amr?: AppFactorAmr;
  /** Whether this user has it (your storage). Asked at every offer, so keep it quick. */
  isEnrolled(userId: string): boolean | Promise<boolean>;
  /**
   * The user picked it at sign-in (POST /tf-select): send the push, text the code. Counted
   * against the send limits (`rateLimits.codeSends*`) before it runs. What it returns is
   * passed to the client (`destination`, masked, and until when it is good).
   */
  select?(
    attempt: AppFactorAttempt,
  ): AppFactorSent | undefined | Promise<AppFactorSent | undefined>;
  /**
   * Is the sign-in `attempt` proved? `code` is what the user typed (undefined for an
   * approval poll). `"approved"` completes the sign-in (once: the pending state is spent);
   * `"rejected"` is a wrong code or a denied approval (counted against the attempt limits,
   * recorded, seen by `policy.onSignInFailed`); `"pending"` (approvals) is neither: the
   * client asks again. Key what you check by `attempt.attemptId`, never by user alone.
   */
  verify(
    attempt: AppFactorAttempt,
    code: string | undefined,
  ): AppFactorVerdict | Promise<AppFactorVerdict>;
  /**
   * Enrolment through Keyward (POST /tf-setup, /tf-setup-validate), under its factor-change
   * rule: a fresh session at the highest AAL the account can reach, or a sign-in held back
   * until the account enrols (`twoFactor.required`). Leave it out when your app enrols the
   * factor on its own pages.
   */
  readonly setup?: AppFactorSetup;
  /**
   * Removes the user's factor from your storage: an administrator's two-factor or access
   * reset, or the user's own `disable` at /tf-setup. Called after Keyward's change commits.
   */
  disable?(userId: string): void | Promise<void>;
}

/** Enrolling an app's factor through /tf-setup: start the pairing, then confirm it. */
export interface AppFactorSetup {
  /**
   * POST /tf-setup `{method}`: start pairing `attempt.userId` (send a pairing push, make a
   * pairing code); what it returns is passed to the client. `attempt.attemptId` names this
   * setup (its state's hash).
   */
  begin(attempt: AppFactorAttempt): AppFactorPairing | Promise<AppFactorPairing>;
  /**
   * POST /tf-setup-validate `{state, code?}`: is the pairing proved? Store the factor when you
   * answer `"approved"` (Keyward then records `two-factor.enabled`); `"rejected"` is a wrong
   * code (counted like one); `"pending"` asks the client to ask again.
   */
  confirm(
    attempt: AppFactorAttempt,
    code: string | undefined,
  ): AppFactorVerdict | Promise<AppFactorVerdict>;
}

/** What starting a pairing gives the user. */
export interface AppFactorPairing {
  /** A code or link to enter in your app ("pair with code 4821"). */
  pairingCode?: string;
  /** Where a pairing message went, masked. */
  destination?: string;
}

/** The RFC 8176 values an app factor may record. */
export type AppFactorAmr = Extract<Amr, "otp" | "mca" | "sms" | "tel" | "swk" | "hwk">;

/** One sign-in waiting for an app factor. */
export interface AppFactorAttempt {
  userId: string;
  /**
   * Stable for this pending sign-in and unique to it (not its secret state): bind the push
   * you send, and the approval you accept, to it.
   */
  attemptId: string;
  ip: string | null;
  userAgent: string | null;
}

/** What the user did: proved it, refused it (or typed a wrong code), or not yet. */
export type AppFactorVerdict = "approved" | "rejected" | "pending";

/** What `select` sent, for the client to show. */
export interface AppFactorSent {
  /** Where it went, masked ("phone ending 42"). */
  destination?: string;
  /** Until when it can be answered (epoch milliseconds or a Date). */
  expiresAt?: number | Date;
}

/** Names taken by built-in methods and by what events record as a method. */
const RESERVED = new Set([
  "webauthn",
  "totp",
  "sms",
  "email",
  "recovery",
  "remembered",
  "remembered-device",
  "disable",
  "password",
  "pwd",
  "key",
  "sign-up",
]);

const NAME = /^[a-z][a-z0-9-]{1,31}$/;

/** The reference a session earned with the app factor `name` records. */
export function appFactorRef(name: string): FactorRef {
  return `app:${name}`;
}

/** Refuses, at start, app factors whose names are malformed, taken or repeated. */
export function checkAppFactors(factors: readonly AppSecondFactor[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const factor of factors) {
    const { name } = factor;
    if (!NAME.test(name)) {
      problems.push(
        `"${name}": a name is 2 to 32 lower-case letters, digits or dashes, starting with a letter`,
      );
    } else if (RESERVED.has(name)) {
      problems.push(`"${name}" is a built-in method's name; choose another`);
    } else if (seen.has(name)) {
      problems.push(`"${name}" is registered twice`);
    }
    if (factor.prompt !== "code" && factor.prompt !== "approval") {
      problems.push(`"${name}": prompt must be "code" or "approval"`);
    }
    seen.add(name);
  }
  return problems;
}

/** The sign-in attempt an app factor sees: its user, and an id bound to this pending state. */
function attemptOf(pending: PendingProof, client: { ip: string | null; userAgent: string | null }) {
  return {
    userId: pending.user.id,
    // The state's hash, as the store keys it: it names the attempt and continues nothing.
    attemptId: hashToken(pending.state),
    ip: client.ip,
    userAgent: client.userAgent,
  } satisfies AppFactorAttempt;
}

/** An app factor as the registry sees it: a SecondFactor whose enrolment the app reports. */
export interface AdaptedAppFactor extends SecondFactor {
  readonly app: AppSecondFactor;
}

/** The verdict as Keyward answers it: pending and refused approvals, wrong codes. */
function judge(app: AppSecondFactor, verdict: AppFactorVerdict): void {
  if (verdict === "approved") return;
  if (verdict === "pending" && app.prompt === "approval") {
    throw new KeywardError(ErrorCode.TWO_FACTOR_APPROVAL_PENDING);
  }
  throw app.prompt === "approval"
    ? new KeywardError(ErrorCode.TWO_FACTOR_DENIED)
    : new KeywardError(ErrorCode.TWO_FACTOR_CODE_INVALID);
}

/** /tf-setup for an app's factor: the app pairs and stores it; Keyward keeps the rules. */
function appSetup(app: AppSecondFactor, setup: AppFactorSetup): FactorSetup {
  return {
    begin(_ctx, user) {
      return {
        data: {},
        async deliver(stateHash, client) {
          const pairing = await setup.begin({
            userId: user.id,
            attemptId: stateHash,
            ip: client.ip,
            userAgent: client.userAgent,
          });
          return {
            ...(pairing.pairingCode !== undefined ? { pairingCode: pairing.pairingCode } : {}),
            ...(pairing.destination !== undefined ? { destination: pairing.destination } : {}),
          };
        },
      };
    },
    async prove(_ctx, pending, code, stateHash) {
      // The setup's own client is not at hand here; the attempt names the user and the setup.
      const attempt = { userId: pending.userId!, attemptId: stateHash, ip: null, userAgent: null };
      judge(app, await setup.confirm(attempt, code));
      return {}; // the factor lives in the app's storage: Keyward's settings do not change
    },
    replaces: () => false,
  };
}

/** Adapts the app's factor to the one interface routes, pages and policy ask. */
export function adaptAppFactor(app: AppSecondFactor): AdaptedAppFactor {
  const { name, roaming } = app;
  return {
    app,
    method: name,
    ref: appFactorRef(name),
    amr: app.amr ?? (app.prompt === "code" ? "otp" : "mca"),
    prompt: app.prompt,
    label: app.label,
    enrolled: ({ app: held }) => (held.includes(name) ? [{ method: name, roaming }] : []),
    async select(ctx, pending, client) {
      if (!app.select) return {};
      // A push is a message like an SMS: a flood of them is a nuisance (and an attack that
      // hopes for a tired "approve"), so it is counted as a code sent is.
      await limitAttempts(ctx, "send", { userId: pending.user.id, ip: client.ip });
      const sent = await app.select(attemptOf(pending, client));
      const expiresAt =
        sent?.expiresAt instanceof Date ? sent.expiresAt.getTime() : sent?.expiresAt;
      return {
        ...(sent?.destination !== undefined ? { destination: sent.destination } : {}),
        ...(expiresAt !== undefined ? { expiresAt } : {}),
      };
    },
    ...(app.setup ? { setup: appSetup(app, app.setup) } : {}),
    async verify(_ctx, pending, code, client) {
      judge(app, await app.verify(attemptOf(pending, client), code));
    },
  };
}

import type {
  AppFactorAttempt,
  AppFactorSetup,
  AppFactorVerdict,
  AppSecondFactor,
} from "../../src/index.js";

/**
 * A push-approval service as an app would wire it: it sends a push per sign-in attempt and
 * answers what the user did on their phone. The test plays the phone (approve, deny, or never).
 */
export class PushApproval implements AppSecondFactor {
  readonly name = "push";
  readonly label = "Approve on your phone";
  readonly roaming = true;
  readonly prompt = "approval" as const;
  readonly phones = new Set<string>();
  readonly pushed: AppFactorAttempt[] = [];
  readonly answers = new Map<string, AppFactorVerdict>();
  readonly disabled: string[] = [];

  isEnrolled(userId: string): boolean {
    return this.phones.has(userId);
  }
  select(attempt: AppFactorAttempt) {
    this.pushed.push(attempt);
    return { destination: "phone ending 42" };
  }
  verify(attempt: AppFactorAttempt): AppFactorVerdict {
    return this.answers.get(attempt.attemptId) ?? "pending";
  }
  disable(userId: string): void {
    this.phones.delete(userId);
    this.disabled.push(userId);
  }
  /** Pairing a phone through /tf-setup: the pairing code shown, then the phone confirms it. */
  readonly pairings: AppFactorAttempt[] = [];
  readonly paired = new Set<string>();
  readonly setup: AppFactorSetup = {
    begin: (attempt) => {
      this.pairings.push(attempt);
      return { pairingCode: "PAIR-4821" };
    },
    confirm: (attempt) => {
      if (!this.paired.has(attempt.attemptId)) return "pending";
      this.phones.add(attempt.userId); // stored once the pairing is proved
      return "approved";
    },
  };
  /** The user's phone confirms the last pairing started for them. */
  pair(userId: string): void {
    const pairing = this.pairings.filter((p) => p.userId === userId).at(-1);
    if (!pairing) throw new Error(`no pairing was started for ${userId}`);
    this.paired.add(pairing.attemptId);
  }
  /** The user's phone answers the last push it got. */
  answer(userId: string, verdict: AppFactorVerdict): void {
    const push = this.pushed.filter((p) => p.userId === userId).at(-1);
    if (!push) throw new Error(`no push was sent for ${userId}`);
    this.answers.set(push.attemptId, verdict);
  }
}

/** A company token whose codes (letters and digits) the app checks itself. */
export class CompanyToken implements AppSecondFactor {
  readonly name = "company-token";
  readonly label = "Company token";
  readonly roaming = true;
  readonly prompt = "code" as const;
  readonly codes = new Map<string, string>();
  isEnrolled(userId: string): boolean {
    return this.codes.has(userId);
  }
  verify(attempt: AppFactorAttempt, code: string | undefined): AppFactorVerdict {
    return code !== undefined && code === this.codes.get(attempt.userId) ? "approved" : "rejected";
  }
}

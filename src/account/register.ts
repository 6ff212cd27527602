import { webcrypto } from "node:crypto";
import type { KeywardContext } from "../context.js";
import type { Caller } from "../core/caller.js";
import { ErrorCode, KeywardError, UniqueViolationError } from "../core/errors.js";
import { type PublicUser, type Session, toPublicUser } from "../core/types.js";
import { hashPassword } from "../factors/password.js";
import { recordSignIn } from "../factors/two-factor.js";
import { sendEmailConfirmation } from "./confirm-email.js";
import { normaliseEmail, normaliseUsername } from "./identity.js";
import { assertPasswordLength } from "./password-rules.js";

export interface RegisterInput {
  email: string;
  password?: string | undefined;
  username?: string | undefined;
}

/** 64 random bytes, base64url: the WebAuthn user handle, stable for the user's whole life. */
export function newUserHandle(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(64))).toString("base64url");
}

/**
 * What a passwordless account must do before its session ends, or it cannot sign in again:
 * add a passkey (or, where keys may not sign in, set a password).
 */
export type NextStep = "add-passkey" | "set-password";

export type RegisterOutcome =
  | {
      user: PublicUser;
      token: string;
      session: Session;
      confirmationRequired?: undefined;
      nextStep?: NextStep;
    }
  /** `lifecycle.confirmEmail` "required": no session until the mailed link is opened. */
  | { user: PublicUser; confirmationRequired: true };

/**
 * Creates an account and signs it in (AAL1; `pwd` when a password was set), unless the
 * address must be confirmed first. Unless `lifecycle.confirmEmail` is "off", a confirmation
 * link is mailed.
 */
export async function registerAccount(
  ctx: KeywardContext,
  input: RegisterInput,
  caller: Caller,
): Promise<RegisterOutcome> {
  const { client } = caller;
  const { accounts } = ctx.config;
  if (input.password === undefined && !accounts.allowPasswordless) {
    throw new KeywardError(ErrorCode.PASSWORD_REQUIRED);
  }
  if (input.password !== undefined) assertPasswordLength(ctx, input.password);
  // Hash before opening the transaction: hashing is slow and must not hold a connection.
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  try {
    const { outcome, created } = await ctx.transaction(async (tx) => {
      const user = await tx.users.create({
        email: normaliseEmail(input.email),
        username: input.username === undefined ? null : normaliseUsername(input.username),
        passwordHash,
        webauthnUserHandle: newUserHandle(),
      });
      await tx.record(
        "user.registered",
        { userId: user.id, ip: client.ip },
        {
          email: user.email,
          passwordless: passwordHash === null,
        },
      );
      if (ctx.sessions.mustConfirmEmail(user)) {
        const outcome: RegisterOutcome = { user: toPublicUser(user), confirmationRequired: true };
        return { outcome, created: user };
      }
      const issued = await ctx.sessions.issue(
        tx,
        user,
        {
          amr: passwordHash === null ? [] : ["pwd"],
          aal: 1,
          uv: false,
          earnedBy: { first: passwordHash === null ? null : "pwd", second: null },
        },
        caller,
      );
      await recordSignIn(tx, issued.session, client, null, "sign-up");
      const nextStep: NextStep | undefined =
        passwordHash !== null
          ? undefined
          : ctx.config.webauthn.allowAsFirstFactor
            ? "add-passkey"
            : "set-password";
      const outcome: RegisterOutcome = {
        user: toPublicUser(user),
        ...issued,
        ...(nextStep ? { nextStep } : {}),
      };
      return { outcome, created: user };
    });
    if (ctx.config.lifecycle.confirmEmail !== "off") {
      // Sent before answering (sign-up reveals nothing a mail could), so the link is on its
      // way when the client hears back; a failed send does not undo the account: resend works.
      await sendEmailConfirmation(ctx, created, client).catch((error: unknown) =>
        console.error("keyward: could not send the email confirmation", error),
      );
    }
    return outcome;
  } catch (error) {
    throw accountTaken(error);
  }
}

/** A clash on a unique column, as what it means: the email or the username is taken. */
export function accountTaken(error: unknown): unknown {
  if (!(error instanceof UniqueViolationError)) return error;
  const usernameClash = error.constraint?.includes("username") ?? false;
  return usernameClash
    ? new KeywardError(ErrorCode.USERNAME_TAKEN)
    : new KeywardError(ErrorCode.EMAIL_TAKEN);
}

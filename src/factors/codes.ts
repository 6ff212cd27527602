import { randomInt } from "node:crypto";
import type { KeywardContext } from "../context.js";
import type { ClientInfo } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { constantTimeEqual, hmac } from "../core/ids.js";
import type { User } from "../core/types.js";
import type { OneTimeCode } from "../store/store.js";
import { limitAttempts } from "./attempts.js";

/** SMS and email one-time codes: random, expiring, single use, a few attempts each. */

export type CodeChannel = "sms" | "email";

/** A code of `length` random digits (uniform: randomInt has no modulo bias). */
export function newCode(length: number): string {
  return randomInt(0, 10 ** length)
    .toString()
    .padStart(length, "0");
}

/**
 * Codes have little entropy, so they are stored as an HMAC under the app secret: a copy of
 * the database alone does not reveal them. The state they are bound to salts the hash.
 */
function codeHash(secret: string, boundTo: string, code: string): string {
  return hmac(secret, `keyward/one-time-code:${boundTo}:${code}`);
}

/** +1415…23: enough for the user to recognise the number, not enough to learn it. */
export function maskPhone(phone: string): string {
  return `${phone.slice(0, 2)}${"•".repeat(Math.max(0, phone.length - 4))}${phone.slice(-2)}`;
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}

function issuerOf(ctx: KeywardContext): string {
  return ctx.config.twoFactor.issuer ?? ctx.config.rp.name;
}

export interface SendCodeInput {
  user: User;
  channel: CodeChannel;
  /** Phone number (SMS) or email address. */
  destination: string;
  /** Hash of the pending state the code is for; only that state can spend it. */
  boundTo: string;
  /** A second factor at sign-in, a setup, or the first factor (account/code-signin.ts). */
  purpose: "signin" | "setup" | "code-signin";
}

/**
 * Sends a new code, replacing any earlier one for the same state. Sending is rate-limited
 * per user, per destination and per IP (each text costs money and can be abused to spam a
 * number).
 */
export async function sendCode(
  ctx: KeywardContext,
  input: SendCodeInput,
  client: ClientInfo,
): Promise<{ destination: string; expiresAt: number }> {
  await limitAttempts(ctx, "send", {
    userId: input.user.id,
    ip: client.ip,
    destination: input.destination,
  });
  const { codeLength, codeWithin } = ctx.config.twoFactor;
  const code = newCode(codeLength);
  const expiresAt = ctx.clock.now() + codeWithin;
  await ctx.store.oneTimeCodes.put({
    userId: input.user.id,
    boundTo: input.boundTo,
    channel: input.channel,
    codeHash: codeHash(ctx.config.secret, input.boundTo, code),
    destination: input.destination,
    expiresAt,
  });
  // In the language of the request that asked for the code.
  const { t } = ctx.languages.get(client.locale);
  const params = {
    site: issuerOf(ctx),
    code,
    minutes: Math.max(1, Math.round(codeWithin / 60_000)),
  };
  try {
    if (input.channel === "sms") {
      // The last line is the WebOTP format: browsers offer to fill the code on our site only.
      const text = t("sms.code", params);
      await ctx.sms.send(input.destination, `${text}\n\n@${ctx.config.rp.id} #${code}`);
    } else {
      await ctx.mailer.send({
        to: input.destination,
        subject: t("mail.code.subject", params),
        text: `${t("mail.code.text", params)}\n\n${t("mail.code.notYou")}`,
      });
    }
  } catch (error) {
    console.error(`keyward: sending the ${input.channel} code failed`, error);
    // A code nobody received must not linger as something to guess.
    const unsent = await ctx.store.oneTimeCodes.find(input.boundTo);
    if (unsent) await ctx.store.oneTimeCodes.take(unsent.id);
    throw new KeywardError(
      ErrorCode.TWO_FACTOR_DELIVERY_FAILED,
      input.channel === "sms"
        ? "The text message could not be sent."
        : "The email could not be sent.",
    );
  }
  await ctx.record(
    "two-factor.code-sent",
    { userId: input.user.id, ip: client.ip },
    { method: input.channel, purpose: input.purpose },
  );
  return {
    destination:
      input.channel === "sms" ? maskPhone(input.destination) : maskEmail(input.destination),
    expiresAt,
  };
}

const noCode = (why: string) => new KeywardError(ErrorCode.TWO_FACTOR_CODE_EXPIRED, why);

/**
 * Spends the code sent for `boundTo` if `code` is it. Each try counts (atomically) before the
 * comparison; the last allowed wrong try spends the code. Returns the row (its destination).
 */
export async function checkCode(
  ctx: KeywardContext,
  input: { userId: string; boundTo: string; channel: CodeChannel; code: string },
): Promise<OneTimeCode> {
  const { codeAttempts } = ctx.config.twoFactor;
  const row = await ctx.store.oneTimeCodes.find(input.boundTo);
  if (!row || row.userId !== input.userId || row.channel !== input.channel) {
    throw noCode("No code is waiting; ask for a new one.");
  }
  if (row.expiresAt <= ctx.clock.now()) {
    await ctx.store.oneTimeCodes.take(row.id);
    throw noCode("The code has expired; ask for a new one.");
  }
  if (!(await ctx.store.oneTimeCodes.countAttempt(row.id, codeAttempts))) {
    await ctx.store.oneTimeCodes.take(row.id);
    throw noCode("Too many wrong codes; ask for a new one.");
  }
  const expected = codeHash(ctx.config.secret, input.boundTo, input.code);
  if (!constantTimeEqual(expected, row.codeHash)) {
    if (row.attempts + 1 >= codeAttempts) await ctx.store.oneTimeCodes.take(row.id);
    throw new KeywardError(ErrorCode.TWO_FACTOR_CODE_INVALID);
  }
  // Deleting is the spend: of two requests racing with the right code, one deletes the row.
  if (!(await ctx.store.oneTimeCodes.take(row.id))) throw noCode("The code was already used.");
  return row;
}

/**
 * How one-time codes leave the server. Apps pass their own `sms` and `mailer` to createKeyward;
 * the console defaults are for development only (they print codes to the log).
 */

import { ConfigError } from "../core/errors.js";

/**
 * Refuses an `sms` or `mailer` without a `send` method at start: otherwise the first code or
 * mail to send would fail, after a user asked for it.
 */
export function checkSenders(senders: { sms: unknown; mailer: unknown }): void {
  const issues = Object.entries(senders)
    .filter(([, sender]) => typeof (sender as { send?: unknown } | null)?.send !== "function")
    .map(([key]) => ({
      key,
      reason: `needs a send(${key === "sms" ? "to, text" : "message"}) method that returns a promise`,
    }));
  if (issues.length > 0) throw new ConfigError(issues);
}

/** Sends a text message. `to` is an E.164 number such as "+14155550123". */
export interface SmsSender {
  send(to: string, text: string): Promise<void>;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /**
   * What the mail is for, so a mailer can pick its own template: e.g. "second-factor-code",
   * or an account mail ("confirm-email", "reset-password", "recover-account", …).
   */
  kind?: string;
  /** The link the mail carries (account mails with a token), for the mailer's own template. */
  link?: string;
}

/** Sends an email. See docs/two-factor.md for an SMTP mailer on nodemailer. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

let warned = false;
function warnOnce(): void {
  if (warned) return;
  warned = true;
  console.warn(
    "keyward: one-time codes are printed to the console; pass `sms` / `mailer` to createKeyward in production",
  );
}

/** Prints each text message to the console. Development only. */
export const consoleSmsSender: SmsSender = {
  async send(to, text) {
    warnOnce();
    console.info(`keyward (console SMS) to ${to}: ${text}`);
  },
};

/** Prints each email to the console. Development only. */
export const consoleMailer: Mailer = {
  async send(message) {
    warnOnce();
    console.info(`keyward (console mail) to ${message.to}: ${message.subject}\n${message.text}`);
  },
};

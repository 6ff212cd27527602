import type { AccountMail, AccountMailKind, Mailer, MailMessage } from "../../src/index.js";

/**
 * A Mailer that keeps every message. Account mails leave after the response (so answers do
 * not depend on whether an address is known): `next` waits for one to arrive.
 */
export class Mailbox implements Mailer {
  readonly sent: AccountMail[] = [];

  async send(message: MailMessage): Promise<void> {
    this.sent.push(message as AccountMail);
  }

  /** Where the next wait starts: mails already here are not "next". */
  mark(): number {
    return this.sent.length;
  }

  /** The first mail of `kind` to `to` after `from` (a mark), waiting up to `timeoutMs`. */
  async next(to: string, kind: AccountMailKind, from = 0, timeoutMs = 5000): Promise<AccountMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.sent.slice(from).find((m) => m.to === to && m.kind === kind);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.sent.map((m) => `${m.kind} → ${m.to}`).join(", ");
        throw new Error(`no "${kind}" mail to ${to} (sent: ${seen || "nothing"})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Mails to `to` after `from`, once background sends have had time to happen. */
  async settledTo(to: string, from = 0): Promise<AccountMail[]> {
    await new Promise((resolve) => setTimeout(resolve, 150));
    return this.sent.slice(from).filter((m) => m.to === to);
  }
}

/** The token in a mail's link. */
export function tokenOf(mail: AccountMail): string {
  const token = mail.link ? new URL(mail.link).searchParams.get("token") : null;
  if (!token) throw new Error(`the "${mail.kind}" mail has no token link`);
  return token;
}

import type { KeywardContext } from "../context.js";
import type { ClientInfo } from "../core/caller.js";
import type { MailMessage } from "../factors/delivery.js";
import { describeDevice } from "../session/device.js";
import type { UnconfirmedHolderRemoval } from "./unconfirmed-holder.js";

/**
 * The account mails: links (confirm an address, reset a password, recover an account,
 * confirm a new address) and notices (something changed; if it was not you, act). Sent with
 * the app's Mailer. Each message also says what it is (`kind`) and carries its `link`, so a
 * mailer can render its own template instead of `text`.
 */
export type AccountMailKind =
  | "confirm-email"
  | "reset-password"
  | "recover-account"
  | "change-email"
  /** A password reset was asked for an account that signs in with keys only. */
  | "reset-without-password"
  /** Account recovery was asked for an account that has a password. */
  | "recover-with-password"
  /** A signed-in user asked to move their account to an address another account has. */
  | "email-taken"
  | "email-change-requested"
  | "email-changed"
  | "password-reset"
  | "password-changed"
  | "account-recovered"
  /** A reset or recovery took over an unconfirmed account: what someone else had added went. */
  | "unconfirmed-holder-removed"
  /** An administrator reset the account's access; the link (password reset or recovery) is in it. */
  | "access-reset";

export interface AccountMail extends MailMessage {
  kind: AccountMailKind;
  /** The link in the mail (with its token, for link mails). */
  link?: string;
}

/** Where links point: `lifecycle.baseUrl`, or the first web origin followed by the prefix. */
export function linkBase(ctx: Pick<KeywardContext, "config">): string {
  const { lifecycle, rp, prefix } = ctx.config;
  if (lifecycle.baseUrl) return lifecycle.baseUrl.replace(/\/+$/, "");
  const origin = rp.origins.find((o) => o.startsWith("http")) ?? `https://${rp.id}`;
  return `${origin}${prefix === "/" ? "" : prefix}`;
}

/** A link to a page, e.g. `/reset-password`, with the token (if any) in the query. */
export function linkTo(ctx: Pick<KeywardContext, "config">, path: string, token?: string): string {
  return `${linkBase(ctx)}${path}${token ? `?token=${encodeURIComponent(token)}` : ""}`;
}

/** "30 minutes", "3 days": a lifetime as a person reads it. */
export function humanDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${name}${n === 1 ? "" : "s"}`;
    }
  }
  const minutes = Math.max(1, Math.round(ms / 60_000));
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

function where(client: ClientInfo | undefined): string {
  if (!client) return "";
  const device = describeDevice(client.userAgent);
  const parts = [device, client.ip ? `IP address ${client.ip}` : null].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

const NOT_YOU =
  "If this was not you, sign in, change your password (or add a new passkey) and sign out everywhere; then tell us.";

/** Composes one account mail. */
export function accountMail(
  ctx: KeywardContext,
  kind: AccountMailKind,
  to: string,
  vars: {
    link?: string;
    ttlMs?: number;
    email?: string;
    client?: ClientInfo;
    removal?: UnconfirmedHolderRemoval;
    /** For "access-reset": what the link lets the user set up again. */
    comeBackWith?: "password" | "passkey";
  } = {},
): AccountMail {
  const site = ctx.config.rp.name;
  const link = vars.link ?? "";
  const expires =
    vars.ttlMs === undefined ? "" : ` It works once and expires in ${humanDuration(vars.ttlMs)}.`;
  const compose = (subject: string, lines: string[]): AccountMail => ({
    kind,
    to,
    subject,
    text: `${lines.join("\n\n")}\n`,
    ...(vars.link ? { link: vars.link } : {}),
  });
  switch (kind) {
    case "confirm-email":
      return compose(`Confirm your email for ${site}`, [
        `Open this link to confirm that ${to} is your email address for ${site}:`,
        link,
        `${expires.trim()} If you did not create an account, ignore this email.`,
      ]);
    case "change-email":
      return compose(`Confirm your new email for ${site}`, [
        `Open this link to use ${to} as the email address of your ${site} account (it was ${vars.email}):`,
        link,
        `${expires.trim()} You need to be signed in to confirm. If you did not ask for this, ignore this email.`,
      ]);
    case "reset-password":
      return compose(`Reset your ${site} password`, [
        `Someone (hopefully you) asked to reset the password of your ${site} account${where(vars.client)}. Open this link to choose a new password:`,
        link,
        `${expires.trim()} Resetting signs you out everywhere. If you did not ask for this, ignore this email: your password stays as it is.`,
      ]);
    case "recover-account":
      return compose(`Recover your ${site} account`, [
        `Someone (hopefully you) asked to recover your ${site} account${where(vars.client)}. Open this link to add a new passkey:`,
        link,
        `${expires.trim()} The link opens a short session that can only add a key. If you did not ask for this, ignore this email.`,
      ]);
    case "reset-without-password":
      return compose(`About your ${site} password`, [
        `Someone (hopefully you) asked to reset the password of your ${site} account, but it has no password: you sign in with a passkey.`,
        `Lost your passkey? Recover your account here: ${link}`,
        "If you did not ask for this, ignore this email.",
      ]);
    case "recover-with-password":
      return compose(`About recovering your ${site} account`, [
        `Someone (hopefully you) asked to recover your ${site} account. Your account has a password, so reset the password instead: ${link}`,
        "If you did not ask for this, ignore this email.",
      ]);
    case "email-taken":
      return compose(`Your email and ${site}`, [
        `Someone signed in to ${site} asked to move their account to ${to}, but an account with this address exists already, so nothing changed.`,
        "If you did not ask for this, ignore this email.",
      ]);
    case "email-change-requested":
      return compose(`Your ${site} email is about to change`, [
        `Someone signed in to your ${site} account${where(vars.client)} asked to change its email address from ${to} to ${vars.email}. It changes once the new address is confirmed.`,
        NOT_YOU,
      ]);
    case "email-changed":
      return compose(`Your ${site} email was changed`, [
        `The email address of your ${site} account was changed from ${to} to ${vars.email}${where(vars.client)}. Mail about the account now goes there.`,
        NOT_YOU,
      ]);
    case "password-reset":
      return compose(`Your ${site} password was reset`, [
        `The password of your ${site} account was reset with an emailed link${where(vars.client)}. Every session was signed out.`,
        NOT_YOU,
      ]);
    case "password-changed":
      return compose(`Your ${site} password was changed`, [
        `The password of your ${site} account was changed${where(vars.client)}. Your other sessions were signed out.`,
        NOT_YOU,
      ]);
    case "account-recovered":
      return compose(`Your ${site} account was recovered`, [
        `Your ${site} account was recovered with an emailed link${where(vars.client)}: a short session that can add a new passkey was opened.`,
        NOT_YOU,
      ]);
    case "unconfirmed-holder-removed":
      return compose(`Your ${site} account was cleaned up`, [
        `Your ${site} account was created with ${to} before this address was confirmed. It was just taken over with a link or sign-in code mailed to it${where(vars.client)}, so anything added before that, by you or by whoever signed up, was removed: ${removedList(vars.removal)}.`,
        "Add the passkeys and second factors you want again. If you did not ask for the link, reset your password or recover your account now.",
      ]);
    case "access-reset":
      return compose(`Your ${site} sign-in was reset`, [
        `An administrator of ${site} reset how you sign in to your account: its passkeys, second factors, recovery codes and password were removed, and every session was signed out.`,
        vars.comeBackWith === "password"
          ? "Open this link to choose a new password:"
          : "Open this link to add a new passkey:",
        link,
        `${expires.trim()} Then set up your second factors again. If you did not expect this, contact ${site}.`,
      ]);
  }
}

const FACTOR_NAMES: Record<string, string> = {
  totp: "the authenticator app",
  sms: "the phone number for codes",
  email: "email codes",
};

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "1 passkey, the authenticator app, 10 recovery codes and 2 sessions (signed out)". */
function removedList(removal: UnconfirmedHolderRemoval | undefined): string {
  if (!removal) return "nothing";
  const items = [
    // A reset's own mail tells of its new password.
    ...(removal.password && removal.via !== "reset-password" ? ["the password"] : []),
    ...(removal.keys > 0 ? [count(removal.keys, "passkey")] : []),
    ...removal.secondFactors.map((method) => FACTOR_NAMES[method] ?? method),
    ...(removal.recoveryCodes > 0 ? [count(removal.recoveryCodes, "recovery code")] : []),
    ...(removal.sessions > 0 ? [`${count(removal.sessions, "session")} (signed out)`] : []),
  ];
  if (items.length === 0) return "nothing";
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** Sends an account mail with the app's mailer. */
export async function sendAccountMail(ctx: KeywardContext, mail: AccountMail): Promise<void> {
  await ctx.mailer.send(mail);
}

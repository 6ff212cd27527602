import type { KeywardContext } from "../context.js";
import type { ClientInfo } from "../core/caller.js";
import type { MailMessage } from "../factors/delivery.js";
import type { MessageKey } from "../i18n/catalogue.js";
import type { Language } from "../i18n/translator.js";
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
  /** The language `subject` and `text` are written in (a template of the app's own can follow it). */
  locale: string;
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

/** " (Firefox on Linux, IP address 192.0.2.1)": where a request came from, or nothing. */
function where(language: Language, client: ClientInfo | undefined): string {
  if (!client) return "";
  const device = describeDevice(client.userAgent, language.t);
  const parts = [device, client.ip ? language.t("mail.ipAddress", { ip: client.ip }) : null];
  const present = parts.filter((part): part is string => Boolean(part));
  return present.length > 0 ? ` (${present.join(", ")})` : "";
}

/** The catalogue's key part of each mail kind (`mail.<part>.subject`, …). */
const mailKeys = {
  "confirm-email": "confirmEmail",
  "change-email": "changeEmail",
  "reset-password": "resetPassword",
  "recover-account": "recoverAccount",
  "reset-without-password": "resetWithoutPassword",
  "recover-with-password": "recoverWithPassword",
  "email-taken": "emailTaken",
  "email-change-requested": "emailChangeRequested",
  "email-changed": "emailChanged",
  "password-reset": "passwordReset",
  "password-changed": "passwordChanged",
  "account-recovered": "accountRecovered",
  "unconfirmed-holder-removed": "unconfirmedHolderRemoved",
  "access-reset": "accessReset",
} as const satisfies Record<AccountMailKind, string>;

type MailPart = (typeof mailKeys)[AccountMailKind];
type MailKey<P extends MailPart, S extends string> = Extract<MessageKey, `mail.${P}.${S}`>;

/**
 * Composes one account mail, in the language of the request behind it: `vars.locale`, else
 * the language of the client it mentions (both captured at the request, so a mail sent later
 * in the background speaks as the request did), else the default language.
 */
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
    /** The language to write in (default: the mentioned client's, else the default one). */
    locale?: string | undefined;
  } = {},
): AccountMail {
  const language = ctx.languages.get(vars.locale ?? vars.client?.locale);
  const { t } = language;
  const part = mailKeys[kind];
  const key = <S extends string>(suffix: S) => `mail.${part}.${suffix}` as MailKey<MailPart, S>;
  const link = vars.link ?? "";
  const params = {
    site: ctx.config.rp.name,
    // The recipient; in a mail to a new address, the account's current one.
    email: kind === "change-email" ? (vars.email ?? "") : to,
    newEmail: kind === "change-email" ? to : (vars.email ?? ""),
    where: where(language, vars.client),
    link,
    expires:
      vars.ttlMs === undefined
        ? ""
        : t("mail.expires", { duration: language.duration(vars.ttlMs) }),
    removed: removedList(language, vars.removal),
  };
  const say = (suffix: string) => t(key(suffix), params).trim();
  const compose = (lines: string[]): AccountMail => ({
    kind,
    to,
    locale: language.tag,
    subject: say("subject"),
    text: `${lines.join("\n\n")}\n`,
    ...(vars.link ? { link: vars.link } : {}),
  });
  switch (kind) {
    case "confirm-email":
    case "change-email":
    case "reset-password":
    case "recover-account":
      return compose([say("intro"), link, say("outro")]);
    case "reset-without-password":
      return compose([say("intro"), say("recover"), t("mail.ignore")]);
    case "recover-with-password":
    case "email-taken":
      return compose([say("intro"), t("mail.ignore")]);
    case "email-change-requested":
    case "email-changed":
    case "password-reset":
    case "password-changed":
    case "account-recovered":
      return compose([say("intro"), t("mail.notYou")]);
    case "unconfirmed-holder-removed":
      return compose([say("intro"), say("outro")]);
    case "access-reset":
      return compose([
        say("intro"),
        t(
          vars.comeBackWith === "password"
            ? "mail.accessReset.password"
            : "mail.accessReset.passkey",
        ),
        link,
        say("outro"),
      ]);
  }
}

const FACTOR_NAMES = {
  totp: "mail.removed.totp",
  sms: "mail.removed.sms",
  email: "mail.removed.email",
} as const satisfies Record<string, MessageKey>;

/** "1 passkey, the authenticator app, 10 recovery codes and 2 sessions (signed out)". */
function removedList(language: Language, removal: UnconfirmedHolderRemoval | undefined): string {
  const { t } = language;
  if (!removal) return t("mail.removed.nothing");
  const items = [
    // A reset's own mail tells of its new password.
    ...(removal.password && removal.via !== "reset-password" ? [t("mail.removed.password")] : []),
    ...(removal.keys > 0 ? [t("mail.removed.keys", { count: removal.keys })] : []),
    ...removal.secondFactors.map((method) =>
      Object.hasOwn(FACTOR_NAMES, method)
        ? t(FACTOR_NAMES[method as keyof typeof FACTOR_NAMES])
        : method,
    ),
    ...(removal.recoveryCodes > 0
      ? [t("mail.removed.recoveryCodes", { count: removal.recoveryCodes })]
      : []),
    ...(removal.sessions > 0 ? [t("mail.removed.sessions", { count: removal.sessions })] : []),
  ];
  return items.length === 0 ? t("mail.removed.nothing") : language.list(items);
}

/** Sends an account mail with the app's mailer. */
export async function sendAccountMail(ctx: KeywardContext, mail: AccountMail): Promise<void> {
  await ctx.mailer.send(mail);
}

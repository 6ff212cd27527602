import type { KeywardContext } from "../context.js";
import type { ClientInfo } from "../core/caller.js";
import { clientSubject } from "../core/client-subject.js";
import { hashToken } from "../core/ids.js";
import { type LimitCheck, reserveAttempt } from "../core/rate-limit.js";
import type { User } from "../core/types.js";
import { normaliseEmail } from "./identity.js";

/**
 * "Mail me a link" for someone who is not signed in (confirm, reset, recover), answered the
 * same way whether the address has an account or not:
 * 1. the request counts against the address and the client IP, known address or not (so a
 *    refusal reveals nothing either), past `rateLimits.accountMails*` → RATE_LIMITED;
 * 2. everything else (finding the account, storing a token, sending) happens after the
 *    response, so its status, body and timing are the same for every address.
 */
export async function acceptMailRequest(
  ctx: KeywardContext,
  email: string,
  client: ClientInfo,
  job: (user: User | undefined) => Promise<void>,
): Promise<void> {
  const address = normaliseEmail(email);
  await limitAccountMails(ctx, address, client.ip);
  ctx.background.run(async () => job(await ctx.store.users.byEmail(address)));
}

/**
 * Counts one account mail to `address` (normalised) asked for by this client, refusing past
 * `rateLimits.accountMails*` with RATE_LIMITED. Every route that mails a link on request goes
 * through it, signed in or not, so none is an unlimited mailer.
 */
export async function limitAccountMails(
  ctx: KeywardContext,
  address: string,
  ip: string | null,
): Promise<void> {
  const { rateLimits } = ctx.config;
  // The address is hashed: the counters table need not hold a list of email addresses.
  const checks: LimitCheck<"address" | "ip">[] = [
    {
      scope: "address",
      key: `account-mail:address:${hashToken(address)}`,
      limit: rateLimits.accountMailsPerAddress,
    },
  ];
  if (ip !== null) {
    checks.push({
      scope: "ip",
      key: `account-mail:ip:${clientSubject(ip, rateLimits.ipv6Prefix)}`,
      limit: rateLimits.accountMailsPerIp,
    });
  }
  await reserveAttempt(ctx.store.rateLimits, rateLimits.window, checks, {
    now: ctx.clock.now(),
    message: (seconds) => `Too many emails asked for; try again in ${seconds} seconds.`,
    onFirstRefusal: (scope) =>
      ctx.record(
        "account.rate-limited",
        { userId: null, ip },
        {
          action: "mail",
          scope,
        },
      ),
  });
}

import {
  activateAccount,
  createAccount,
  deactivateAccount,
  listAccounts,
  lockUser,
  unlockUser,
} from "../../account/admin.js";
import { isLocked } from "../../core/account-lock.js";
import { parseDuration } from "../../core/duration.js";
import { type Command, UsageError } from "../command.js";
import { table } from "../format.js";
import { passwordOptions, readPassword, userArg, userJson, userNamed } from "../users-ref.js";

const BY = "cli";

export const usersCreate: Command = {
  name: "users create",
  summary: "Create an account",
  options: {
    email: { type: "string", value: "<email>", description: "Email address (required)" },
    username: { type: "string", value: "<name>", description: "Username, to sign in with" },
    ...passwordOptions,
    passwordless: {
      type: "boolean",
      description: "No password: the user signs in with keys (needs accounts.allowPasswordless)",
    },
    "user-handle": {
      type: "string",
      value: "<base64url>",
      description:
        "The WebAuthn user handle the user's keys already hold (1 to 64 bytes), for an account moved from another system",
    },
  },
  details:
    "Creates the account as POST /register would (same validation and password policy) and\n" +
    'records a "user.registered" event, but signs nobody in.',
  async run(cli) {
    const {
      email,
      username,
      password: passwordFlag,
      "user-handle": userHandle,
    } = cli.options as Record<string, string | undefined>;
    const fromStdin = cli.options["password-stdin"] === true;
    const passwordless = cli.options.passwordless === true;
    if (email === undefined) throw new UsageError("--email is required", usersCreate);
    if ([passwordFlag !== undefined, fromStdin, passwordless].filter(Boolean).length !== 1) {
      throw new UsageError(
        "give exactly one of --password-stdin, --password, --passwordless",
        usersCreate,
      );
    }
    const password = await readPassword(cli, usersCreate);

    // The same validation as POST /register (loaded here: other commands do without HTTP).
    const { registerBody } = await import("../../http/routes/account.js");
    const parsed = registerBody.safeParse({ email, username, password });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UsageError(
        `--${String(issue?.path[0] ?? "email")}: ${issue?.message ?? "invalid"}`,
        usersCreate,
      );
    }
    const admin = await cli.admin();
    const user = await createAccount(admin, {
      email: parsed.data.email,
      username: parsed.data.username,
      password,
      webauthnUserHandle: userHandle,
    });
    return { json: { user: userJson(user) }, text: `created ${user.email} (${user.id})` };
  },
};

function wholeNumber(
  value: string | boolean | undefined,
  name: string,
  fallback: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || n > max) {
    throw new UsageError(`--${name}: a whole number from 0 to ${max}`);
  }
  return n;
}

export const usersList: Command = {
  name: "users list",
  summary: "List accounts, oldest first",
  options: {
    limit: {
      type: "string",
      value: "<n>",
      description: "At most n users (default 100, at most 10000)",
    },
    offset: { type: "string", value: "<n>", description: "Skip the first n users (default 0)" },
  },
  async run(cli) {
    const limit = wholeNumber(cli.options.limit, "limit", 100, 10_000);
    const offset = wholeNumber(cli.options.offset, "offset", 0, Number.MAX_SAFE_INTEGER);
    const admin = await cli.admin();
    const users = (await listAccounts(admin, { limit, offset })).map(userJson);
    return {
      json: { users, limit, offset },
      text:
        users.length === 0
          ? "No users."
          : table(
              ["id", "email", "username", "active", "password", "created"],
              users.map((u) => [u.id, u.email, u.username, u.active, u.hasPassword, u.createdAt]),
            ),
    };
  },
};

export const usersDeactivate: Command = {
  name: "users deactivate",
  summary: "Disable an account and end its sessions",
  args: userArg,
  details:
    "The account can no longer sign in and its sessions end at once, remembered devices and\n" +
    "waiting sign-ins with them; its keys and data stay.\n" +
    'Records a "user.deactivated" event. Undo with `keyward users activate`.',
  async run(cli) {
    const admin = await cli.admin();
    const user = await userNamed(admin, cli);
    const sessionsRevoked = await deactivateAccount(admin, user, BY);
    return {
      json: { user: { ...userJson(user), active: false }, sessionsRevoked },
      text: `deactivated ${user.email}; ended ${sessionsRevoked} session(s)`,
    };
  },
};

export const usersActivate: Command = {
  name: "users activate",
  summary: "Enable a disabled account",
  args: userArg,
  async run(cli) {
    const admin = await cli.admin();
    const user = await userNamed(admin, cli);
    await activateAccount(admin, user, BY);
    return { json: { user: { ...userJson(user), active: true } }, text: `activated ${user.email}` };
  },
};

export const usersLock: Command = {
  name: "users lock",
  summary: "Lock an account: refuse every sign-in until it is unlocked",
  args: userArg,
  options: {
    reason: {
      type: "string",
      value: "<text>",
      description: 'Why, recorded in the event (default "locked by an administrator")',
    },
    for: {
      type: "string",
      value: "<duration>",
      description: "Lift the lock by itself after this long (e.g. 30m, 12h, 7d)",
    },
  },
  details:
    "Every sign-in path refuses the account (passwords, passkeys, second factors, recovery,\n" +
    "reset links); /login answers as for a wrong password. Its sessions stay: use\n" +
    '`keyward users deactivate` to end them. Records an "account.locked" event.\n' +
    "Undo with `keyward users unlock`.",
  async run(cli) {
    const { reason, for: duration } = cli.options as Record<string, string | undefined>;
    const forMs = duration === undefined ? undefined : parseDuration(duration);
    if (duration !== undefined && (forMs === undefined || forMs === 0)) {
      throw new UsageError("--for: a duration such as 30m, 12h or 7d", usersLock);
    }
    const admin = await cli.admin();
    const user = await userNamed(admin, cli);
    const lock = await lockUser(admin, user, {
      by: BY,
      reason: reason ?? "locked by an administrator",
      forMs,
    });
    const until = lock.until === null ? null : new Date(lock.until).toISOString();
    return {
      json: { user: userJson(user), lock: { reason: lock.reason, until } },
      text: `locked ${user.email}${until === null ? "" : ` until ${until}`}`,
    };
  },
};

export const usersUnlock: Command = {
  name: "users unlock",
  summary: "Lift an account's lock",
  args: userArg,
  details: 'Records an "account.unlocked" event.',
  async run(cli) {
    const admin = await cli.admin();
    const user = await userNamed(admin, cli);
    const wasLocked = isLocked(user, admin.clock.now());
    await unlockUser(admin, user, BY);
    return {
      json: { user: userJson(user), wasLocked },
      text: wasLocked ? `unlocked ${user.email}` : `${user.email} was not locked`,
    };
  },
};

import { randomBytes } from "node:crypto";
import { normaliseEmail, normaliseUsername } from "../../account/identity.js";
import { ErrorCode, KeywardError, UniqueViolationError } from "../../core/errors.js";
import { hashPassword } from "../../factors/password.js";
import { type Command, UsageError } from "../command.js";
import { table } from "../format.js";
import { findUser, userJson } from "../users-ref.js";

const BY = "cli";

export const usersCreate: Command = {
  name: "users create",
  summary: "Create an account",
  options: {
    email: { type: "string", value: "<email>", description: "Email address (required)" },
    username: { type: "string", value: "<name>", description: "Username, to sign in with" },
    "password-stdin": {
      type: "boolean",
      description: "Read the password from standard input (first line)",
    },
    password: {
      type: "string",
      value: "<password>",
      description: "The password (visible in process lists: prefer --password-stdin)",
    },
    passwordless: {
      type: "boolean",
      description: "No password: the user signs in with keys (needs accounts.allowPasswordless)",
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
    const password = fromStdin ? (await cli.readStdin()).split(/\r?\n/)[0] : passwordFlag;
    if (fromStdin && !password)
      throw new UsageError("--password-stdin: standard input is empty", usersCreate);

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
    const { accounts } = admin.config;
    if (password === undefined && !accounts.allowPasswordless) {
      throw new KeywardError(
        ErrorCode.PASSWORD_REQUIRED,
        "Passwordless accounts are not allowed here (accounts.allowPasswordless).",
      );
    }
    if (password !== undefined && password.length < accounts.passwordMinLength) {
      throw new KeywardError(
        ErrorCode.PASSWORD_TOO_SHORT,
        `The password must have at least ${accounts.passwordMinLength} characters.`,
      );
    }
    if (password !== undefined && password.length > accounts.passwordMaxLength) {
      throw new KeywardError(
        ErrorCode.INVALID_INPUT,
        `The password may have at most ${accounts.passwordMaxLength} characters.`,
      );
    }
    const passwordHash = password === undefined ? null : await hashPassword(password);
    try {
      const user = await admin.store.transaction(async (store) => {
        const created = await store.users.create({
          email: normaliseEmail(parsed.data.email),
          username:
            parsed.data.username === undefined ? null : normaliseUsername(parsed.data.username),
          passwordHash,
          // 64 random bytes: the WebAuthn user handle, as account/register.ts makes it.
          webauthnUserHandle: randomBytes(64).toString("base64url"),
          // An administrator vouches for the address: no confirmation mail is pending.
          emailConfirmedAt: admin.clock.now(),
        });
        await admin.events.record(
          store.events,
          "user.registered",
          { userId: created.id, ip: null },
          { email: created.email, passwordless: passwordHash === null },
        );
        return created;
      });
      return { json: { user: userJson(user) }, text: `created ${user.email} (${user.id})` };
    } catch (error) {
      if (error instanceof UniqueViolationError) {
        throw error.constraint?.includes("username")
          ? new KeywardError(ErrorCode.USERNAME_TAKEN)
          : new KeywardError(ErrorCode.EMAIL_TAKEN);
      }
      throw error;
    }
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
    const users = (await admin.store.users.list({ limit, offset })).map(userJson);
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

const userArg = [{ name: "user", description: "Email, username or user id" }];

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
    const user = await findUser(admin.store, requireArg(cli.args, usersDeactivate));
    const sessionsRevoked = await admin.store.transaction(async (store) => {
      await store.users.setActive(user.id, false);
      const revoked = await store.sessions.deleteForUser(user.id);
      // Activated again later, it must not skip a second factor on a browser remembered now.
      await store.users.advanceSecurityEpoch(user.id);
      await admin.events.record(
        store.events,
        "user.deactivated",
        { userId: user.id, ip: null },
        { by: BY, sessionsRevoked: revoked },
      );
      return revoked;
    });
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
    const user = await findUser(admin.store, requireArg(cli.args, usersActivate));
    await admin.store.transaction(async (store) => {
      await store.users.setActive(user.id, true);
      await admin.events.record(
        store.events,
        "user.activated",
        { userId: user.id, ip: null },
        { by: BY },
      );
    });
    return { json: { user: { ...userJson(user), active: true } }, text: `activated ${user.email}` };
  },
};

/** The one positional argument a command takes. */
export function requireArg(args: string[], command: Command): string {
  const [first, ...rest] = args;
  const name = command.args?.[0]?.name ?? "argument";
  if (first === undefined || first === "") throw new UsageError(`<${name}> is required`, command);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`, command);
  return first;
}

import { type AdminContext, findAccount } from "../account/admin.js";
import { ErrorCode } from "../core/errors.js";
import type { User } from "../core/types.js";
import {
  CliFailure,
  type Command,
  type Invocation,
  type OptionSpec,
  UsageError,
} from "./command.js";

/** The user named on the command line: an email, a username or a user id. */
export async function findUser(admin: AdminContext, ref: string): Promise<User> {
  const user = await findAccount(admin, ref);
  if (!user) throw new CliFailure(ErrorCode.USER_NOT_FOUND, `No user "${ref}".`);
  return user;
}

/** The user a command's `<user>` argument (userArg) names; the runner has checked it is given. */
export function userNamed(admin: AdminContext, cli: Invocation): Promise<User> {
  return findUser(admin, cli.args[0]!);
}

/** A user as the CLI prints it: no secrets. */
export function userJson(user: User) {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    active: user.active,
    hasPassword: user.passwordHash !== null,
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

/** The one argument of the commands that act on a user. */
export const userArg = [{ name: "user", description: "Email, username or user id" }];

/** How a command takes a password: from standard input (preferred) or the command line. */
export const passwordOptions: Record<"password-stdin" | "password", OptionSpec> = {
  "password-stdin": {
    type: "boolean",
    description: "Read the password from standard input (first line)",
  },
  password: {
    type: "string",
    value: "<password>",
    description: "The password (visible in process lists: prefer --password-stdin)",
  },
};

/** The password given with passwordOptions, or undefined when neither option was given. */
export async function readPassword(cli: Invocation, command: Command): Promise<string | undefined> {
  if (cli.options["password-stdin"] !== true) {
    const flag = cli.options.password;
    return typeof flag === "string" ? flag : undefined;
  }
  const password = (await cli.readStdin()).split(/\r?\n/)[0];
  if (!password) throw new UsageError("--password-stdin: standard input is empty", command);
  return password;
}

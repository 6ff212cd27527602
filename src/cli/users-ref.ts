import { type AdminContext, findAccount } from "../account/admin.js";
import { ErrorCode } from "../core/errors.js";
import type { User } from "../core/types.js";
import { CliFailure } from "./command.js";

/** The user named on the command line: an email, a username or a user id. */
export async function findUser(admin: AdminContext, ref: string): Promise<User> {
  const user = await findAccount(admin, ref);
  if (!user) throw new CliFailure(ErrorCode.USER_NOT_FOUND, `No user "${ref}".`);
  return user;
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

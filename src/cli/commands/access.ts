import { resetAccess, setAccountPassword } from "../../account/admin.js";
import { linkTo } from "../../account/mails.js";
import { type Command, UsageError } from "../command.js";
import { passwordOptions, readPassword, userArg, userJson, userNamed } from "../users-ref.js";

const BY = "cli";

export const usersSetPassword: Command = {
  name: "users set-password",
  summary: "Set a user's password and end their sessions",
  args: userArg,
  options: passwordOptions,
  details:
    "Same length rules as the user's own change. Every session of the user ends and remembered\n" +
    'devices are forgotten. Records an "account.password-set" event.',
  async run(cli) {
    if ((typeof cli.options.password === "string") === (cli.options["password-stdin"] === true)) {
      throw new UsageError("give exactly one of --password-stdin, --password", usersSetPassword);
    }
    const password = await readPassword(cli, usersSetPassword);
    if (!password) throw new UsageError("the password is empty", usersSetPassword);
    const admin = await cli.admin();
    const user = await userNamed(admin, cli);
    const { sessionsRevoked } = await setAccountPassword(admin, user, password, BY);
    return {
      json: { user: { ...userJson(user), hasPassword: true }, sessionsRevoked },
      text: `set the password of ${user.email}; ended ${sessionsRevoked} session(s)`,
    };
  },
};

export const usersResetAccess: Command = {
  name: "users reset-access",
  summary: "Remove every way a user signs in and issue a link to start again",
  args: userArg,
  details:
    "For a compromised account, or an owner who lost everything: removes every key, second\n" +
    "factor, recovery code and the password, ends every session, and issues one single-use\n" +
    "link (a password reset if the account had a password, otherwise account recovery).\n" +
    "The CLI has no mailer, so it prints the link: give it to the user over a channel you\n" +
    "trust (an app's own admin pages use auth.api.admin.resetAccess, which mails it).\n" +
    'Records an "account.access-reset" event.',
  async run(cli) {
    const admin = await cli.admin();
    const user = await userNamed(admin, cli);
    const { link, ...removed } = await resetAccess(admin, user, BY);
    const url = linkTo(admin, `/${link.purpose}`, link.token);
    return {
      json: {
        user: { ...userJson(user), hasPassword: false },
        ...removed,
        link: { purpose: link.purpose, url, expiresAt: new Date(link.expiresAt).toISOString() },
      },
      text:
        `reset the access of ${user.email}: removed ${removed.keysRemoved} key(s), ` +
        `${removed.methods.length} second factor(s), ${removed.recoveryCodesDeleted} recovery code(s)` +
        `${removed.passwordRemoved ? ", the password" : ""}; ended ${removed.sessionsRevoked} session(s)\n` +
        `single-use link for the user (${link.purpose}): ${url}`,
    };
  },
};

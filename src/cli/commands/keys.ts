import { deleteUserKey, listUserKeys } from "../../account/admin.js";
import { toCredentialView } from "../../webauthn/view.js";
import { CliFailure, type Command, UsageError } from "../command.js";
import { table } from "../format.js";
import { userArg, userNamed } from "../users-ref.js";

export const keysList: Command = {
  name: "keys list",
  summary: "List a user's WebAuthn keys",
  args: userArg,
  async run(cli) {
    const admin = await cli.admin();
    const user = await userNamed(admin, cli);
    const keys = (await listUserKeys(admin, user)).map((key) => toCredentialView(key));
    return {
      json: { user: { id: user.id, email: user.email }, keys },
      text:
        keys.length === 0
          ? `${user.email} has no keys.`
          : table(
              ["id", "name", "usage", "authenticator", "backup", "created", "last used"],
              keys.map((k) => [
                k.id,
                k.name,
                k.usage,
                k.authenticatorName,
                k.backup,
                k.createdAt,
                k.lastUsedAt,
              ]),
            ),
    };
  },
};

export const keysDelete: Command = {
  name: "keys delete",
  summary: "Delete one of a user's keys",
  args: userArg,
  options: {
    name: { type: "string", value: "<name>", description: "The key's name (as listed)" },
    id: { type: "string", value: "<id>", description: "The key's id (as listed)" },
  },
  details:
    "Give --name or --id. Ends the sessions the key earned (as first or second factor; for a\n" +
    'secondary key, those of remembered devices too) and records a "webauthn.deleted" event.\n' +
    "Warns when the user is left with no way to sign in (no password and no first-factor key),\n" +
    "and when the key was their only second factor (two-step verification is then off).",
  async run(cli) {
    const { name, id } = cli.options as Record<string, string | undefined>;
    if ((name === undefined) === (id === undefined)) {
      throw new UsageError("give exactly one of --name, --id", keysDelete);
    }
    const admin = await cli.admin();
    const user = await userNamed(admin, cli);
    const result = await deleteUserKey(admin, user, id !== undefined ? { id } : { name: name! });
    if (!result) {
      throw new CliFailure(
        "WEBAUTHN_CREDENTIAL_NOT_FOUND",
        `${user.email} has no key ${id ?? `named "${name}"`}.`,
      );
    }
    // The same deletion as POST /wan-delete: the sessions the key earned end with it.
    const { deleted: key, remaining: left, sessionsRevoked } = result;
    const warnings = [
      ...(result.stranded
        ? [`${user.email} has no password and no sign-in key left: they cannot sign in.`]
        : []),
      ...(result.twoFactorDisabled
        ? [
            `That was the only second factor of ${user.email}: two-step verification is off and their recovery codes are gone.`,
          ]
        : []),
    ];
    return {
      json: { deleted: toCredentialView(key), remaining: left.length, sessionsRevoked },
      text:
        `deleted key "${key.name}" of ${user.email}` +
        (sessionsRevoked > 0 ? `; ended ${sessionsRevoked} session(s) it had earned` : ""),
      warnings,
    };
  },
};

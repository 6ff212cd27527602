import { resetSecondFactors, secondaryKeyCount } from "../../account/admin.js";
import type { Command } from "../command.js";
import { userArg, userNamed } from "../users-ref.js";

export const twoFactorReset: Command = {
  name: "two-factor reset",
  summary: "Clear a user's second-factor settings (admin recovery)",
  args: userArg,
  details:
    "For a user locked out of their second factor. Clears TOTP (secret and replay guard), the\n" +
    "SMS phone number, email codes, the preferred method and unused recovery codes, and forgets\n" +
    "remembered devices. WebAuthn keys are NOT touched: a user with `secondary` keys is still\n" +
    "asked for one (delete them with `keyward keys delete`). Sessions earned with a cleared\n" +
    "factor or a remembered device end; sessions earned by keys stay. Records a\n" +
    '"two-factor.reset" event. Check who is asking before you run it.',
  async run(cli) {
    const admin = await cli.admin();
    const user = await userNamed(admin, cli);
    const result = await resetSecondFactors(admin, user, "cli");
    const secondaryKeys = await secondaryKeyCount(admin, user);
    return {
      json: {
        user: { id: user.id, email: user.email },
        cleared: result.methods,
        ...result,
        secondaryKeys,
      },
      text:
        `reset two-factor settings of ${user.email}: ` +
        `${result.methods.length === 0 ? "no methods were enrolled" : `cleared ${result.methods.join(", ")}`}; ` +
        `deleted ${result.recoveryCodesDeleted} recovery code(s)` +
        (result.sessionsRevoked > 0 ? `; ended ${result.sessionsRevoked} session(s)` : ""),
      warnings:
        secondaryKeys > 0
          ? [
              `${user.email} still has ${secondaryKeys} secondary key(s); sign-in will still ask for one. ` +
                "See `keyward keys list`.",
            ]
          : [],
    };
  },
};

import { ErrorCode, KeywardError } from "../../core/errors.js";
import type { SecondFactor } from "../second-factor.js";
import { open, seal } from "../secret-box.js";
import { checkTotp, newTotpSecret, qrSvg, spendTotp, totpUri } from "../totp.js";

/** An authenticator app (TOTP): a shared secret scanned once, a code every 30 seconds. */
export const totpFactor = {
  method: "totp",
  ref: "totp",
  amr: "otp",
  prompt: "code",
  held: (settings) => settings.totpSecret !== null,
  enrolled: ({ settings }) =>
    settings.totpSecret === null ? [] : [{ method: "totp", roaming: true }],
  describe: ({ settings }) => ({ totp: settings.totpSecret !== null }),
  verify: (ctx, { user, enrolment }, code) =>
    spendTotp(ctx, user.id, enrolment.settings, code ?? ""),
  setup: {
    async begin(ctx, user) {
      const secret = await newTotpSecret();
      return {
        // The secret waits encrypted, like the enrolled one; it never sits in the clear.
        data: { secret: seal(ctx.config.secret, user.id, secret) },
        async deliver() {
          const issuer = ctx.config.twoFactor.issuer ?? ctx.config.rp.name;
          const uri = await totpUri(issuer, user.email, secret);
          return { secret, otpauthUri: uri, qrSvg: await qrSvg(uri) };
        },
      };
    },
    async prove(ctx, setup, code) {
      const sealed = setup.data.secret;
      if (sealed === undefined || setup.userId === null) {
        throw new KeywardError(ErrorCode.STATE_INVALID, "This setup is unknown.");
      }
      const secret = open(ctx.config.secret, setup.userId, sealed);
      const check = await checkTotp(secret, code ?? "", ctx.clock.now(), null);
      if (!check.ok) {
        throw new KeywardError(ErrorCode.TWO_FACTOR_CODE_INVALID, "That code is not right.");
      }
      // The confirming code's step counts as used: it cannot then complete a sign-in.
      return { totpSecret: sealed, totpLastStep: check.step };
    },
    replaces: (before) => before.totpSecret !== null,
  },
  disable: { totpSecret: null, totpLastStep: null },
} as const satisfies SecondFactor;

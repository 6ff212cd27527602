import { hashToken } from "../../core/ids.js";
import { checkCode, maskEmail, sendCode } from "../codes.js";
import type { SecondFactor } from "../second-factor.js";

/** A code mailed to the account's address. */
export const emailFactor = {
  method: "email",
  ref: "email",
  amr: "email",
  prompt: "send",
  held: (settings) => settings.emailEnabled,
  enrolled: ({ settings }) => (settings.emailEnabled ? [{ method: "email", roaming: true }] : []),
  describe: ({ settings, email }) => ({
    email: settings.emailEnabled ? { address: maskEmail(email) } : null,
  }),
  select: (ctx, { user, state }, client) =>
    sendCode(
      ctx,
      {
        user,
        channel: "email",
        destination: user.email,
        boundTo: hashToken(state),
        purpose: "signin",
      },
      client,
    ),
  async verify(ctx, { user, state }, code) {
    await checkCode(ctx, {
      userId: user.id,
      boundTo: hashToken(state),
      channel: "email",
      code: code ?? "",
    });
  },
  setup: {
    begin(ctx, user) {
      return {
        data: {},
        async deliver(stateHash, client) {
          const sent = await sendCode(
            ctx,
            {
              user,
              channel: "email",
              destination: user.email,
              boundTo: stateHash,
              purpose: "setup",
            },
            client,
          );
          return { destination: sent.destination, expiresAt: sent.expiresAt };
        },
      };
    },
    async prove(ctx, setup, code, stateHash) {
      await checkCode(ctx, {
        userId: setup.userId!,
        boundTo: stateHash,
        channel: "email",
        code: code ?? "",
      });
      return { emailEnabled: true };
    },
    replaces: () => false,
  },
  disable: { emailEnabled: false },
} as const satisfies SecondFactor;

import { z } from "zod";
import { hashToken } from "../../core/ids.js";
import { checkCode, maskPhone, sendCode } from "../codes.js";
import type { SecondFactor } from "../second-factor.js";

/** International format (E.164); spaces, dots, dashes and brackets are dropped first. */
const phone = z
  .string()
  .max(32)
  .transform((value) => value.replace(/[\s().-]/g, ""))
  .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, "must be an international number like +14155550123"));

/** A code texted to the user's phone number. */
export const smsFactor = {
  method: "sms",
  ref: "sms",
  amr: "sms",
  prompt: "send",
  held: (settings) => settings.phone !== null,
  enrolled: ({ settings }) => (settings.phone === null ? [] : [{ method: "sms", roaming: true }]),
  describe: ({ settings }) => ({
    sms: settings.phone === null ? null : { phone: maskPhone(settings.phone) },
  }),
  select: (ctx, { user, enrolment, state }, client) =>
    sendCode(
      ctx,
      {
        user,
        channel: "sms",
        destination: enrolment.settings.phone!,
        boundTo: hashToken(state),
        purpose: "signin",
      },
      client,
    ),
  async verify(ctx, { user, state }, code) {
    await checkCode(ctx, {
      userId: user.id,
      boundTo: hashToken(state),
      channel: "sms",
      code: code ?? "",
    });
  },
  setup: {
    fields: { phone },
    begin(ctx, user, input) {
      const number = String(input.phone);
      return {
        data: { phone: number },
        async deliver(stateHash, client) {
          const sent = await sendCode(
            ctx,
            { user, channel: "sms", destination: number, boundTo: stateHash, purpose: "setup" },
            client,
          );
          return { destination: sent.destination, expiresAt: sent.expiresAt };
        },
      };
    },
    async prove(ctx, setup, code, stateHash) {
      const sent = await checkCode(ctx, {
        userId: setup.userId!,
        boundTo: stateHash,
        channel: "sms",
        code: code ?? "",
      });
      return { phone: sent.destination };
    },
    replaces: (before, change) => before.phone !== null && before.phone !== change.phone,
  },
  disable: { phone: null },
} as const satisfies SecondFactor;

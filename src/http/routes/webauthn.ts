import type { Hono } from "hono";
import { z } from "zod";
import type { KeywardContext } from "../../context.js";
import { deleteKey, listKeys, renameKey } from "../../webauthn/manage.js";
import { finishRegistration, startRegistration } from "../../webauthn/register.js";
import {
  authenticationResponseSchema,
  registrationResponseSchema,
  usageSchema,
} from "../../webauthn/schemas.js";
import { passkeySignals } from "../../webauthn/signals.js";
import { finishSignin, startSignin } from "../../webauthn/signin.js";
import { finishVerify, startVerify } from "../../webauthn/verify.js";
import { parseInput } from "../body.js";
import { clientInfo } from "../client.js";
import type { HttpEnv } from "../env.js";
import { reply, withDone } from "../negotiate.js";
import { requireSession, sessionToken, sessionView } from "../session-cookie.js";
import { signInResponse } from "../signin-response.js";

const state = z.string().min(1).max(128);
const name = z.string().max(1024);
const keyRef = z
  .object({ name: name.optional(), id: z.string().max(64).optional() })
  .refine((v) => v.name !== undefined || v.id !== undefined, { message: "name or id is required" });

// Without a name, the key is named after its authenticator model (see webauthn/register.ts).
export const wanRegisterBody = z.object({
  name: name.optional(),
  usage: usageSchema.default("secondary"),
  // Where the key should live; without it WebauthnUtil decides (cross-platform for `first`).
  attachment: z.enum(["platform", "cross-platform"]).optional(),
});
export const wanRegisterResponseBody = z.object({ state, credential: registrationResponseSchema });
export const wanSigninBody = z.object({
  identity: z.string().trim().min(1).max(254).optional(),
  secondFactorState: state.optional(),
});
export const wanSigninResponseBody = z.object({
  state,
  credential: authenticationResponseSchema,
  secondFactorState: state.optional(),
});
export const wanVerifyResponseBody = z.object({ state, credential: authenticationResponseSchema });
export const wanRenameBody = keyRef.and(z.object({ newName: name }));
export const wanDeleteBody = keyRef;

/** WebAuthn keys: register, sign in (first or second factor), verify, list, rename, delete. */
export function webauthnRoutes(app: Hono<HttpEnv>, ctx: KeywardContext): void {
  const client = (c: Parameters<typeof clientInfo>[0]) => clientInfo(c, ctx.config.trustProxy);

  app.post("/wan-register", async (c) => {
    const input = parseInput(wanRegisterBody, c.var.input);
    // A recovery session (limited) exists to do exactly this: register a new key.
    const active = await requireSession(ctx, c, { limited: "allow" });
    return c.json(await startRegistration(ctx, active, input, client(c)));
  });

  app.post("/wan-register-response", async (c) => {
    const input = parseInput(wanRegisterResponseBody, c.var.input);
    const active = await requireSession(ctx, c, { limited: "allow" });
    const credential = await finishRegistration(ctx, active, input, c.req.raw, client(c));
    return c.json({ credential }, 201);
  });

  app.post("/wan-signin", async (c) => {
    const input = parseInput(wanSigninBody, c.var.input);
    return c.json(await startSignin(ctx, input, client(c)));
  });

  app.post("/wan-signin-response", async (c) => {
    const input = parseInput(wanSigninResponseBody, c.var.input);
    const outcome = await finishSignin(ctx, input, c.req.raw, client(c), sessionToken(ctx, c));
    return signInResponse(ctx, c, outcome);
  });

  app.post("/wan-verify", async (c) => {
    parseInput(z.object({}), c.var.input);
    const active = await requireSession(ctx, c);
    return c.json(await startVerify(ctx, active, client(c)));
  });

  app.post("/wan-verify-response", async (c) => {
    const input = parseInput(wanVerifyResponseBody, c.var.input);
    const active = await requireSession(ctx, c);
    await finishVerify(ctx, active, input, c.req.raw, client(c));
    return c.json({ session: sessionView(ctx, active.session) });
  });

  app.get("/wan-signal", async (c) => {
    const active = await requireSession(ctx, c);
    return c.json(await passkeySignals(ctx, active));
  });

  app.get("/wan-credentials", async (c) => {
    const active = await requireSession(ctx, c);
    return c.json({ credentials: await listKeys(ctx, active) });
  });

  app.post("/wan-rename", async (c) => {
    const input = parseInput(wanRenameBody, c.var.input);
    const active = await requireSession(ctx, c);
    const credential = await renameKey(ctx, active, input, client(c));
    return reply(
      c,
      () => c.json({ credential }),
      () => withDone(`${ctx.config.prefix}/account`, "key-renamed"),
    );
  });

  app.post("/wan-delete", async (c) => {
    const input = parseInput(wanDeleteBody, c.var.input);
    const active = await requireSession(ctx, c);
    const credential = await deleteKey(ctx, active, input, client(c));
    return reply(
      c,
      () => c.json({ credential }),
      () => withDone(`${ctx.config.prefix}/account`, "key-deleted"),
    );
  });
}

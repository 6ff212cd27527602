import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { hashToken, randomToken } from "../core/ids.js";
import type { Ceremony, CeremonyKind, Usage } from "../core/types.js";

export interface CeremonyStart {
  kind: CeremonyKind;
  userId: string | null;
  sessionId: string | null;
  challenge?: string | null;
  usage?: Usage | null;
  name?: string | null;
  data?: Record<string, unknown>;
  ttlMs: number;
}

/** Saves a ceremony's state server-side and returns the opaque token the client sends back. */
export async function startCeremony(ctx: KeywardContext, start: CeremonyStart): Promise<string> {
  const state = randomToken(32);
  await ctx.store.ceremonies.create({
    idHash: hashToken(state),
    kind: start.kind,
    userId: start.userId,
    sessionId: start.sessionId,
    challenge: start.challenge ?? null,
    usage: start.usage ?? null,
    name: start.name ?? null,
    data: start.data ?? {},
    expiresAt: ctx.clock.now() + start.ttlMs,
  });
  return state;
}

/**
 * Takes a ceremony's state exactly once. Only a state of the expected kind (and, for
 * ceremonies bound to a session, of this session) is found; anything else is STATE_INVALID.
 * It runs outside any transaction on purpose: a state is spent even if what follows fails.
 */
export async function consumeCeremony(
  ctx: KeywardContext,
  state: string,
  expect: { kind: CeremonyKind; sessionId?: string },
): Promise<Ceremony> {
  const ceremony = await ctx.store.ceremonies.consume(
    hashToken(state),
    expect.kind,
    expect.sessionId,
  );
  if (!ceremony) {
    throw new KeywardError(
      ErrorCode.STATE_INVALID,
      "This request is unknown or was already used; start again.",
    );
  }
  if (ceremony.expiresAt <= ctx.clock.now()) {
    throw new KeywardError(ErrorCode.STATE_EXPIRED, "This request has expired; start again.");
  }
  return ceremony;
}

/** A live ceremony's state without spending it; undefined when unknown or expired. */
export async function peekCeremony(
  ctx: KeywardContext,
  state: string,
  kind: CeremonyKind,
): Promise<Ceremony | undefined> {
  const ceremony = await ctx.store.ceremonies.find(hashToken(state), kind);
  return ceremony && ceremony.expiresAt > ctx.clock.now() ? ceremony : undefined;
}

import type { NewSession } from "../../src/store/store.js";

/** A password session of `userId` for the store tests, valid for a minute. */
export function passwordSession(
  userId: string,
  idHash: string,
  ip: string | null = null,
): NewSession {
  return {
    idHash,
    userId,
    expiresAt: Date.now() + 60_000,
    amr: ["pwd"],
    aal: 1,
    uv: false,
    ip,
    userAgent: null,
  };
}

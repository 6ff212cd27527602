import { systemClock } from "../../src/core/clock.js";
import { openKyselyStore } from "../../src/store/kysely/index.js";
import type { NewSession, Store } from "../../src/store/store.js";

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

/** A store on `url` (migrated) holding one account, named after `name`, for the store tests. */
export async function storeWithUser(
  url: string,
  name: string,
): Promise<{ store: Store; userId: string }> {
  const store = await openKyselyStore(url, { clock: systemClock });
  const user = await store.users.create({
    email: `${name}@example.com`,
    username: null,
    passwordHash: null,
    webauthnUserHandle: `handle-${name}`,
  });
  return { store, userId: user.id };
}

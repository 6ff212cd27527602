import type { Credential } from "../../core/types.js";
import type { SecondFactor } from "../second-factor.js";

/**
 * A key is platform-bound when it only ever reported the "internal" transport. A key with
 * no transports is unknown; it is not called platform-bound, so the policy never blocks on a guess.
 */
export function isPlatformBound(key: Credential): boolean {
  return key.transports.length > 0 && key.transports.every((t) => t === "internal");
}

/**
 * `secondary` WebAuthn keys. Each key is a factor of its own, roaming unless bound to one
 * platform. The key's ceremony runs through /wan-signin with the pending state
 * (webauthn/signin.ts); keys are added and removed through /wan-register and /wan-delete.
 */
export const webauthnFactor = {
  method: "webauthn",
  prompt: "key",
  enrolled: ({ keys }) =>
    keys.map((key) => ({ method: "webauthn", keyId: key.id, roaming: !isPlatformBound(key) })),
  describe: ({ keys }) => ({
    keys: keys.map((key) => ({ id: key.id, name: key.name, roaming: !isPlatformBound(key) })),
  }),
} as const satisfies SecondFactor;

import type { Ceremony } from "../../core/types.js";
import type { CeremonyRepo, NewCeremony } from "../store.js";
import { ExpiringMap } from "./expiring-map.js";

interface HeldCeremony extends Omit<NewCeremony, "data"> {
  // Kept serialized, as SQL and Redis keep it: every reader gets its own copy.
  data: string;
}

const toCeremony = ({ idHash, data, ...rest }: HeldCeremony): Ceremony => ({
  id: idHash,
  ...rest,
  data: JSON.parse(data) as Record<string, unknown>,
});

/**
 * Ceremony states in this process's memory. Taking one is a Map delete: JavaScript runs it to
 * completion, so a state is taken at most once, and one of another kind or session stays for
 * its owner. `fallback` is the SQL repository: cleanup also clears rows left there by an
 * earlier run with `ephemeral: "database"`.
 */
export function memoryCeremonies(
  now: () => number,
  limit: number,
  fallback: CeremonyRepo,
): CeremonyRepo {
  const held = new ExpiringMap<HeldCeremony>(now, limit);
  return {
    async create(ceremony) {
      held.set(ceremony.idHash, { ...ceremony, data: JSON.stringify(ceremony.data) });
    },
    async consume(idHash, kind, sessionId) {
      const ceremony = held.get(idHash);
      if (!ceremony || ceremony.kind !== kind) return undefined;
      if (sessionId !== undefined && ceremony.sessionId !== sessionId) return undefined;
      held.delete(idHash);
      return toCeremony(ceremony);
    },
    async find(idHash, kind) {
      const ceremony = held.get(idHash);
      return ceremony?.kind === kind ? toCeremony(ceremony) : undefined;
    },
    async deleteExpired(at) {
      return held.deleteExpired(at) + (await fallback.deleteExpired(at));
    },
  };
}

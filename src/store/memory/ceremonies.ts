import { type Ceremony, isCeremonyOf } from "../../core/types.js";
import type { CeremonyRepo, NewCeremony } from "../store.js";
import { ExpiringMap } from "./expiring-map.js";

interface HeldCeremony extends Omit<NewCeremony, "data" | "holder"> {
  // Kept serialized, as SQL and Redis keep it: every reader gets its own copy.
  data: string;
}

/** How many states process memory keeps (see memoryCeremonies). */
export interface CeremonyLimits {
  /** The most states of each pool: anonymous starts, and states a user answers for. */
  limit: number;
  /** The most states one user answers for at once; past it, that user's oldest goes. */
  perHolder: number;
}

const toCeremony = ({
  idHash,
  data,
  holder: _holder,
  ...rest
}: HeldCeremony & { holder?: string }): Ceremony =>
  // Its kind says what the JSON holds: the flow of that kind wrote it.
  ({ id: idHash, ...rest, data: JSON.parse(data) }) as Ceremony;

/**
 * Ceremony states in this process's memory. Taking one is a Map delete: JavaScript runs it to
 * completion, so a state is taken at most once, and one of another kind or session stays for
 * its owner. Anonymous starts and states a user answers for (a pending second factor, a
 * key registration in a session…) live in two pools with a cap each, so no flood of anonymous
 * starts pushes out a user's state; within the second pool each user has a cap of their own,
 * so one user's flood pushes out only their own. `fallback` is the SQL repository: cleanup
 * also clears rows left there by an earlier run with `ephemeral: "database"`.
 */
export function memoryCeremonies(
  now: () => number,
  limits: CeremonyLimits,
  fallback: CeremonyRepo,
): CeremonyRepo {
  const anonymous = new ExpiringMap<HeldCeremony>(now, limits.limit);
  const answered = new ExpiringMap<HeldCeremony & { holder: string }>(now, limits.limit, {
    of: (ceremony) => ceremony.holder,
    limit: limits.perHolder,
  });
  const held = (idHash: string) => answered.get(idHash) ?? anonymous.get(idHash);
  return {
    evicts: true,
    async create({ holder, ...ceremony }) {
      const kept = { ...ceremony, data: JSON.stringify(ceremony.data) };
      if (holder) answered.set(ceremony.idHash, { ...kept, holder });
      else anonymous.set(ceremony.idHash, kept);
    },
    async consume(idHash, kind, sessionId) {
      const ceremony = held(idHash);
      if (!ceremony || ceremony.kind !== kind) return undefined;
      if (sessionId !== undefined && ceremony.sessionId !== sessionId) return undefined;
      answered.delete(idHash) || anonymous.delete(idHash);
      const taken = toCeremony(ceremony);
      return isCeremonyOf(taken, kind) ? taken : undefined;
    },
    async find(idHash, kind) {
      const ceremony = held(idHash);
      const found = ceremony && toCeremony(ceremony);
      return found && isCeremonyOf(found, kind) ? found : undefined;
    },
    async deleteExpired(at) {
      return (
        anonymous.deleteExpired(at) +
        answered.deleteExpired(at) +
        (await fallback.deleteExpired(at))
      );
    },
  };
}

import type { Redis } from "ioredis";
import { type Ceremony, type CeremonyKind, isCeremonyOf } from "../../core/types.js";
import type { CeremonyRepo, NewCeremony } from "../store.js";

// GET + checks + DEL in one script: Redis runs it atomically, so a state is taken at most once,
// and a state of another kind or session is left untouched for its owner.
const CONSUME = `
local value = redis.call("GET", KEYS[1])
if not value then return false end
local state = cjson.decode(value)
if state.kind ~= ARGV[1] then return false end
if ARGV[2] ~= "" and state.sessionId ~= ARGV[2] then return false end
redis.call("DEL", KEYS[1])
return value
`;

// The key names the state; the value holds the rest, its kind saying what its data holds.
function toCeremony<K extends CeremonyKind>(idHash: string, value: string | null, kind: K) {
  if (!value) return undefined;
  const ceremony = { id: idHash, ...JSON.parse(value) } as Ceremony;
  return isCeremonyOf(ceremony, kind) ? ceremony : undefined;
}

/** Ceremony states in Redis: shared by every instance, expired by Redis itself (TTL). */
export function redisCeremonies(redis: Redis, keyPrefix: string, now: () => number): CeremonyRepo {
  const key = (idHash: string) => `${keyPrefix}ceremony:${idHash}`;
  return {
    async create(ceremony: NewCeremony) {
      const { idHash, holder: _holder, ...stored } = ceremony;
      // Redis drops the key a little after expiry; the flow still checks expiresAt itself.
      const ttl = Math.max(1, ceremony.expiresAt - now()) + 60_000;
      await redis.set(key(idHash), JSON.stringify(stored), "PX", ttl);
    },
    async consume(idHash, kind, sessionId) {
      const value = (await redis.eval(CONSUME, 1, key(idHash), kind, sessionId ?? "")) as
        | string
        | null;
      return toCeremony(idHash, value, kind);
    },
    async find(idHash, kind) {
      return toCeremony(idHash, await redis.get(key(idHash)), kind);
    },
    async deleteExpired() {
      return 0;
    },
  };
}

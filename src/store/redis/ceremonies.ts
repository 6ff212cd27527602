import type { Redis } from "ioredis";
import type { Ceremony } from "../../core/types.js";
import type { CeremonyRepo, NewCeremony } from "../store.js";

// The key names the state; the value holds the rest.
type StoredCeremony = Omit<Ceremony, "id">;

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

function toCeremony(idHash: string, value: string): Ceremony {
  const stored = JSON.parse(value) as StoredCeremony;
  return { id: idHash, ...stored };
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
      return value ? toCeremony(idHash, value) : undefined;
    },
    async find(idHash, kind) {
      const value = await redis.get(key(idHash));
      if (!value) return undefined;
      const ceremony = toCeremony(idHash, value);
      return ceremony.kind === kind ? ceremony : undefined;
    },
    async deleteExpired() {
      return 0;
    },
  };
}

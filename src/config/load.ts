import { ConfigError } from "../core/errors.js";
import { checkConfig } from "./checks.js";
import { type ConfigKey, configKeys } from "./reference.js";
import { configSchema, type KeywardConfig, type KeywardConfigInput } from "./schema.js";

type Env = Record<string, string | undefined>;

function parseScalar(raw: string, types: string[], key: string): unknown {
  const text = raw.trim();
  if (types.includes("boolean")) {
    if (/^(true|1|yes)$/i.test(text)) return true;
    if (/^(false|0|no)$/i.test(text)) return false;
  }
  if ((types.includes("integer") || types.includes("number")) && /^-?\d+(\.\d+)?$/.test(text)) {
    return Number(text);
  }
  if (types.includes("string")) return text;
  throw new ConfigError([
    { key, reason: `environment value "${raw}" is not a ${types.join(" or ")}` },
  ]);
}

function parseEnvValue(raw: string, key: ConfigKey): unknown {
  if (key.jsonTypes.includes("array")) {
    return raw
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part.length > 0)
      .map((part) => parseScalar(part, key.itemTypes, key.key));
  }
  return parseScalar(raw, key.jsonTypes, key.key);
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    node[segment] = next && typeof next === "object" ? { ...(next as object) } : {};
    node = node[segment] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** Applies KEYWARD_* environment variables over the config written in code. */
export function applyEnvOverrides(input: KeywardConfigInput, env: Env): KeywardConfigInput {
  const merged = { ...(input as Record<string, unknown>) };
  for (const key of configKeys()) {
    const raw = env[key.env];
    if (raw === undefined || raw === "") continue;
    setPath(merged, key.path, parseEnvValue(raw, key));
  }
  return merged as KeywardConfigInput;
}

/**
 * Validates the app's configuration with environment overrides applied, then refuses settings
 * that are valid but dangerous (config/checks.ts). Fails with a ConfigError that names each
 * bad key and why, so a misconfigured app never starts.
 */
export function loadConfig(input: KeywardConfigInput, env: Env = process.env): KeywardConfig {
  const result = configSchema.safeParse(applyEnvOverrides(input, env));
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        key: issue.path.join(".") || "(root)",
        reason: issue.message,
      })),
    );
  }
  const issues = checkConfig(result.data);
  if (issues.length > 0) throw new ConfigError(issues);
  return result.data;
}

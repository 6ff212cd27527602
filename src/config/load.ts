import type { z } from "zod";
import { ConfigError } from "../core/errors.js";
import { checkConfig } from "./checks.js";
import { type ConfigKey, configKeys } from "./reference.js";
import { configSchema, type KeywardConfig, type KeywardConfigInput } from "./schema.js";

type Env = Record<string, string | undefined>;

function parseScalar(raw: string, types: string[], key: ConfigKey): unknown {
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
    { key: key.key, reason: `${key.env}="${raw}" is not a ${types.join(" or ")}` },
  ]);
}

function parseEnvValue(raw: string, key: ConfigKey): unknown {
  if (key.jsonTypes.includes("array")) {
    return raw
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part.length > 0)
      .map((part) => parseScalar(part, key.itemTypes, key));
  }
  return parseScalar(raw, key.jsonTypes, key);
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

const sameStart = (path: readonly PropertyKey[], prefix: readonly string[]) =>
  prefix.every((segment, index) => path[index] === segment);

/**
 * What a missing or invalid key's refusal says to do: which KEYWARD_* variable to set (or the
 * option in code), so an operator can fix it without reading the reference. A group (`rp`)
 * names its keys' variables; a reason that already names its variable (the secret's) is kept.
 */
function withAdvice(issue: z.core.$ZodIssue, env: Env): { key: string; reason: string } {
  const key = issue.path.join(".") || "(root)";
  const missing = issue.code === "invalid_type" && / received undefined$/.test(issue.message);
  const reason = missing ? "missing" : issue.message;
  const leaf = configKeys().find((k) => sameStart(issue.path, k.path));
  const under = leaf
    ? [leaf]
    : configKeys().filter((k) => sameStart(k.path, issue.path.map(String)));
  const required = under.filter((k) => k.required);
  const named = required.length > 0 ? required : under;
  if (named.length === 0 || named.some((k) => reason.includes(k.env))) return { key, reason };
  const variables = named.map((k) => k.env);
  const list =
    variables.length === 1
      ? variables[0]
      : `${variables.slice(0, -1).join(", ")} and ${variables.at(-1)}`;
  const option = leaf ? leaf.key : key;
  const from = leaf && env[leaf.env] ? ` (${leaf.env} is "${env[leaf.env]}")` : "";
  return { key, reason: `${reason}${from}: set ${list} (or \`${option}\` in the options)` };
}

/**
 * An option that does not exist (a typo such as `rateLimits.ceremonyStartsPerIP`) would
 * otherwise be dropped in silence, leaving the default in force: each is named, with the
 * option it was probably meant to be.
 */
function unknownOptions(
  issue: z.core.$ZodIssueUnrecognizedKeys,
): Array<{ key: string; reason: string }> {
  const parent = issue.path.map(String);
  const known = new Set(
    configKeys()
      .filter((k) => k.path.length > parent.length && sameStart(k.path, parent))
      .map((k) => k.path[parent.length]!),
  );
  return issue.keys.map((name) => {
    const near = closest(name, [...known]);
    const meant = near === undefined ? "" : `; did you mean ${[...parent, near].join(".")}?`;
    return {
      key: [...parent, name].join("."),
      reason: `not a Keyward option${meant} (all options: docs/configuration.md)`,
    };
  });
}

/** The candidate one or two edits away from `name` (letter case aside), if there is one. */
function closest(name: string, candidates: string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
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
      result.error.issues.flatMap((issue) =>
        issue.code === "unrecognized_keys" ? unknownOptions(issue) : [withAdvice(issue, env)],
      ),
    );
  }
  const issues = checkConfig(result.data);
  if (issues.length > 0) throw new ConfigError(issues);
  return result.data;
}

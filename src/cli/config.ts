import { readFileSync } from "node:fs";
import type { KeywardConfigInput } from "../config/schema.js";
import { type Env, UsageError } from "./command.js";

export interface ConfigSources {
  /** --config: a JSON file with Keyward options. */
  config?: string | undefined;
  /** --database: overrides the file and KEYWARD_DATABASE. */
  database?: string | undefined;
}

/**
 * Keyward options from the command line's sources, lowest precedence first: `defaults`, the
 * --config file, KEYWARD_* environment variables (applied by loadConfig/createKeyward with the
 * returned env), then --database.
 */
export function configInput(
  sources: ConfigSources,
  env: Env,
  defaults: Partial<KeywardConfigInput> = {},
): { input: KeywardConfigInput; env: Env; fromFile: Record<string, unknown> } {
  let fromFile: Record<string, unknown> = {};
  if (sources.config !== undefined) {
    let text: string;
    try {
      text = readFileSync(sources.config, "utf8");
    } catch (error) {
      throw new UsageError(`--config: cannot read ${sources.config}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--config: ${sources.config} is not JSON: ${(error as Error).message}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new UsageError(
        `--config: ${sources.config} must hold a JSON object of Keyward options`,
      );
    }
    fromFile = parsed as Record<string, unknown>;
  }
  const input = { ...defaults, ...fromFile } as Record<string, unknown>;
  const effectiveEnv = { ...env };
  if (sources.database !== undefined) {
    input.database = sources.database;
    delete effectiveEnv.KEYWARD_DATABASE;
  }
  return { input: input as KeywardConfigInput, env: effectiveEnv, fromFile };
}

/**
 * Stand-ins for the options only HTTP needs (rp, secret), so that commands which only touch
 * the database run without them; the file or KEYWARD_* variables replace them when set.
 */
export const storeOnlyDefaults: Partial<KeywardConfigInput> = {
  rp: { id: "localhost", name: "keyward-cli", origins: ["http://localhost"] },
  secret: "keyward-cli-placeholder-secret-not-used-for-anything",
};

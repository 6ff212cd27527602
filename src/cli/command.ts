import type { AdminContext } from "../account/admin.js";
import type { KeywardConfig } from "../config/schema.js";
import type { EventReader } from "../core/event-query.js";
import type { Repositories } from "../store/store.js";

/** A wrong command line: unknown command or option, missing or malformed argument. Exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  constructor(
    message: string,
    /** The command whose usage to print, if known. */
    readonly command?: Command,
  ) {
    super(message);
  }
}

/** A failure that is not a bug and not a usage error (e.g. no such user). Exit 1. */
export class CliFailure extends Error {
  override readonly name = "CliFailure";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** The placeholder shown in help, e.g. "<url>". */
  value?: string;
  description: string;
}

export type Env = Record<string, string | undefined>;

/**
 * The database, opened with the resolved configuration: for reading (listings, events) and
 * for the admin operations (account/admin.ts), which make every change.
 */
export interface Admin extends AdminContext {
  readonly store: Repositories & { readonly events: EventReader };
}

export interface Invocation {
  /** Positional arguments after the command words. */
  args: string[];
  options: Record<string, string | boolean | undefined>;
  env: Env;
  /** Everything on standard input (for --password-stdin). */
  readStdin(): Promise<string>;
  /** The configuration (--config, KEYWARD_*, --database), validated; rp and secret optional. */
  config(): KeywardConfig;
  /** Opens the store once, on first use; closed by the runner after the command. */
  admin(): Promise<Admin>;
  /** Writes a line to standard output now (for `serve`, which runs until stopped). */
  out(line: string): void;
  /** Writes a line to standard error (progress, warnings); not part of the command's output. */
  log(line: string): void;
}

/** What a command produces: a JSON value for --json, and text for people. */
export interface Output {
  /** Undefined: nothing more to print (the command wrote its output as it ran). */
  json: unknown;
  text: string;
  /** Printed on standard error after the output (never part of the --json document). */
  warnings?: string[];
}

export interface Command {
  /** The words that name it: "migrate", "users create". */
  name: string;
  summary: string;
  args?: Array<{ name: string; description: string; optional?: boolean }>;
  options?: Record<string, OptionSpec>;
  /** More help text: what it does exactly, caveats. */
  details?: string;
  /** Runs until it returns; `serve` returns only when asked to stop. */
  run(invocation: Invocation): Promise<Output>;
}

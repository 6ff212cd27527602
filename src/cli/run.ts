import { parseArgs } from "node:util";
import { loadConfig } from "../config/load.js";
import type { KeywardConfig } from "../config/schema.js";
import { workOn } from "../context.js";
import { systemClock } from "../core/clock.js";
import { ConfigError, KeywardError, StoreUnavailableError } from "../core/errors.js";
import { KeywardEvents } from "../core/events.js";
import type { Store } from "../store/store.js";
import {
  type Admin,
  CliFailure,
  type Command,
  type Env,
  type OptionSpec,
  UsageError,
} from "./command.js";
import { commands } from "./commands.js";
import { configInput, storeOnlyDefaults } from "./config.js";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface Io {
  env: Env;
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
}

const globalOptions: Record<string, OptionSpec> = {
  database: {
    type: "string",
    value: "<url>",
    description: 'Database: "sqlite:<path>" or "postgres://…[?schema=…]" (over KEYWARD_DATABASE)',
  },
  config: {
    type: "string",
    value: "<file>",
    description: "JSON file of Keyward options; KEYWARD_* variables override it",
  },
  json: { type: "boolean", description: "Machine-readable output (JSON on stdout)" },
  help: { type: "boolean", short: "h", description: "Show help" },
};

const groups = [
  ...new Set(commands.filter((c) => c.name.includes(" ")).map((c) => c.name.split(" ")[0]!)),
];

function usageLine(command: Command): string {
  const args = (command.args ?? []).map((a) => (a.optional ? `[<${a.name}>]` : `<${a.name}>`));
  return ["keyward", command.name, ...args, "[options]"].join(" ");
}

function optionLines(options: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(options).map(([name, spec]) => [
    `${spec.short ? `-${spec.short}, ` : ""}--${name}${spec.value ? ` ${spec.value}` : ""}`,
    spec.description,
  ]);
  const width = Math.max(...rows.map(([left]) => left!.length));
  return rows.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`);
}

function commandList(list: Command[]): string[] {
  const rows = list.map((c) => [
    [c.name, ...(c.args ?? []).map((a) => `<${a.name}>`)].join(" "),
    c.summary,
  ]);
  const width = Math.max(...rows.map(([left]) => left!.length));
  return rows.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`);
}

export function globalHelp(): string {
  return [
    "keyward: administer a Keyward installation",
    "",
    "Usage: keyward <command> [options]",
    "",
    "Commands:",
    ...commandList(commands),
    "",
    "Global options:",
    ...optionLines(globalOptions),
    "",
    "Configuration comes from --config, then KEYWARD_* environment variables (KEYWARD_DATABASE,",
    "KEYWARD_SECRET, KEYWARD_RP_ID, KEYWARD_RP_ORIGINS, …; see docs/configuration.md), then",
    "--database. <user> is an email address, a username or a user id.",
    "Exit codes: 0 success, 1 failure, 2 usage error.",
    'Run "keyward <command> --help" for a command\'s options.',
  ].join("\n");
}

function groupHelp(group: string): string {
  return [
    `Usage: keyward ${group} <command> [options]`,
    "",
    "Commands:",
    ...commandList(commands.filter((c) => c.name.startsWith(`${group} `))),
    "",
    'Run "keyward --help" for global options.',
  ].join("\n");
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: ${usageLine(command)}`, "", `${command.summary}.`];
  if (command.details) lines.push("", command.details);
  if (command.args?.length) {
    lines.push("", "Arguments:");
    const width = Math.max(...command.args.map((a) => a.name.length + 2));
    for (const arg of command.args)
      lines.push(`  ${`<${arg.name}>`.padEnd(width)}  ${arg.description}`);
  }
  if (command.options && Object.keys(command.options).length > 0) {
    lines.push("", "Options:", ...optionLines(command.options));
  }
  lines.push("", "Global options:", ...optionLines(globalOptions));
  return lines.join("\n");
}

/** The words before the first option that name the command ("users", "create"). */
function commandWords(argv: string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i += 1) {
    const token = argv[i]!;
    if (token === "--") break;
    if (token.startsWith("-")) {
      const name = token.replace(/^--?/, "");
      if (globalOptions[name]?.type === "string" && !token.includes("=")) i += 1;
      continue;
    }
    words.push(token);
  }
  return words;
}

type Resolved =
  | { kind: "command"; command: Command; words: number }
  | { kind: "help"; text: string }
  | { kind: "usage"; message: string; help: string };

function resolve(argv: string[]): Resolved {
  const words = commandWords(argv);
  const wantsHelp = argv.includes("--help") || argv.includes("-h");
  if (words.length === 0) {
    return wantsHelp
      ? { kind: "help", text: globalHelp() }
      : { kind: "usage", message: "no command given", help: globalHelp() };
  }
  if (words[0] === "help") {
    const rest = words.slice(1).join(" ");
    const command =
      commands.find((c) => c.name === rest) ?? commands.find((c) => c.name === words[1]);
    if (command) return { kind: "help", text: commandHelp(command) };
    if (words[1] && groups.includes(words[1])) return { kind: "help", text: groupHelp(words[1]) };
    return { kind: "help", text: globalHelp() };
  }
  const two = commands.find((c) => c.name === words.slice(0, 2).join(" "));
  if (two) return { kind: "command", command: two, words: 2 };
  const one = commands.find((c) => c.name === words[0]);
  if (one) return { kind: "command", command: one, words: 1 };
  if (groups.includes(words[0]!)) {
    if (wantsHelp && words.length === 1) return { kind: "help", text: groupHelp(words[0]!) };
    return {
      kind: "usage",
      message: words[1] ? `unknown command "${words.join(" ")}"` : `"${words[0]}" needs a command`,
      help: groupHelp(words[0]!),
    };
  }
  return {
    kind: "usage",
    message: `unknown command "${words[0]}"`,
    help: 'Run "keyward --help" for the commands.',
  };
}

function errorCode(error: unknown): string {
  if (error instanceof CliFailure || error instanceof KeywardError) return error.code;
  if (error instanceof ConfigError) return "CONFIG_INVALID";
  return "INTERNAL";
}

function errorMessage(error: unknown): string {
  if (error instanceof StoreUnavailableError) {
    const cause =
      error.storeCause instanceof Error ? error.storeCause.message : String(error.storeCause);
    return `${error.message} (${cause})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Runs the CLI on `argv` (without node and script); returns the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  const json = argv.includes("--json");
  const fail = (code: string, message: string, exit: number, hint?: string) => {
    if (json) io.stderr(`${JSON.stringify({ error: { code, message } })}\n`);
    else io.stderr(`keyward: ${message}\n${hint ? `${hint}\n` : ""}`);
    return exit;
  };

  const resolved = resolve(argv);
  if (resolved.kind === "help") {
    io.stdout(`${resolved.text}\n`);
    return EXIT_OK;
  }
  if (resolved.kind === "usage") {
    return fail("USAGE", resolved.message, EXIT_USAGE, resolved.help);
  }
  const { command } = resolved;
  const usageHint = `Run "keyward ${command.name} --help" for usage.`;

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...globalOptions, ...(command.options ?? {}) },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return fail("USAGE", (error as Error).message, EXIT_USAGE, usageHint);
  }
  if (parsed.values.help === true) {
    io.stdout(`${commandHelp(command)}\n`);
    return EXIT_OK;
  }
  // A command line that names too few or too many arguments is refused before anything opens
  // the database (which would create and migrate a file at the default path).
  const positionals = parsed.positionals.slice(resolved.words);
  const declared = command.args ?? [];
  const missing = declared.find((arg, i) => !arg.optional && !positionals[i]);
  if (missing) return fail("USAGE", `<${missing.name}> is required`, EXIT_USAGE, usageHint);
  if (positionals.length > declared.length) {
    const extra = positionals[declared.length];
    return fail("USAGE", `unexpected argument "${extra}"`, EXIT_USAGE, usageHint);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const sources = {
    config: values.config as string | undefined,
    database: values.database as string | undefined,
  };

  let config: KeywardConfig | undefined;
  const loadStoreConfig = () => {
    if (!config) {
      const { input, env } = configInput(sources, io.env, storeOnlyDefaults);
      config = loadConfig(input, env);
    }
    return config;
  };
  let opened: Promise<Admin & { store: Store }> | undefined;
  const admin = () => {
    opened ??= (async () => {
      const resolvedConfig = loadStoreConfig();
      const { openStore } = await import("../store/open.js");
      const { builtInRegistry } = await import("../factors/registry.js");
      const { store } = await openStore(resolvedConfig, systemClock);
      return {
        config: resolvedConfig,
        store,
        clock: systemClock,
        // The app's own second factors live in the app: the CLI knows the built-in ones.
        factors: builtInRegistry,
        // Listeners live in the app; here events are only written to the event table.
        ...workOn(store, new KeywardEvents(systemClock)),
      };
    })();
    return opened;
  };

  try {
    const output = await command.run({
      args: positionals,
      options: values,
      env: io.env,
      readStdin: io.readStdin,
      config: loadStoreConfig,
      admin,
      out: (line) => io.stdout(`${line}\n`),
      log: (line) => io.stderr(`${line}\n`),
    });
    if (output.json !== undefined) {
      io.stdout(json ? `${JSON.stringify(output.json, null, 2)}\n` : `${output.text}\n`);
    }
    for (const warning of output.warnings ?? []) {
      io.stderr(json ? `${JSON.stringify({ warning })}\n` : `warning: ${warning}\n`);
    }
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      const hint = error.command
        ? `Run "keyward ${error.command.name} --help" for usage.`
        : usageHint;
      return fail("USAGE", error.message, EXIT_USAGE, hint);
    }
    return fail(errorCode(error), errorMessage(error), EXIT_FAILURE);
  } finally {
    if (opened) await (await opened.catch(() => undefined))?.store.close();
  }
}

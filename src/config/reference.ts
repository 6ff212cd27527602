import { z } from "zod";
import { configSchema } from "./schema.js";

/** One leaf of the configuration: its dotted key, environment variable, type and default. */
export interface ConfigKey {
  key: string;
  path: string[];
  env: string;
  type: string;
  jsonTypes: string[];
  itemTypes: string[];
  enumValues: string[];
  required: boolean;
  default: unknown;
  description: string;
}

/** The part of the config schema's JSON Schema that the reference and the options type read. */
export interface JsonSchemaNode {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  items?: JsonSchemaNode;
  enum?: unknown[];
  anyOf?: JsonSchemaNode[];
  default?: unknown;
  description?: string;
}

const snake = (segment: string) => segment.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

function typesOf(node: JsonSchemaNode): string[] {
  if (node.anyOf) return node.anyOf.flatMap(typesOf);
  if (Array.isArray(node.type)) return node.type;
  return node.type ? [node.type] : [];
}

function describeType(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(" | ");
  const types = typesOf(node);
  if (types.includes("array") && node.items) return `${describeType(node.items)}[]`;
  return types.join(" | ");
}

function walk(node: JsonSchemaNode, path: string[], required: boolean, out: ConfigKey[]): void {
  if (node.properties) {
    const requiredKeys = new Set(node.required ?? []);
    for (const [name, child] of Object.entries(node.properties)) {
      walk(child, [...path, name], required && requiredKeys.has(name), out);
    }
    return;
  }
  out.push({
    key: path.join("."),
    path,
    env: `KEYWARD_${path.map(snake).join("_")}`,
    type: describeType(node),
    jsonTypes: typesOf(node),
    itemTypes: node.items ? typesOf(node.items) : [],
    enumValues: (node.enum ?? node.items?.enum ?? []).map(String),
    required: required && node.default === undefined,
    default: node.default,
    description: node.description ?? "",
  });
}

let cached: ConfigKey[] | undefined;

/** Every configuration key, derived from the schema so docs and env overrides cannot drift. */
export function configKeys(): ConfigKey[] {
  if (!cached) {
    const root = z.toJSONSchema(configSchema, { io: "input" }) as JsonSchemaNode;
    cached = [];
    walk(root, [], true, cached);
  }
  return cached;
}

/** The configuration reference page (docs/configuration.md). */
export function configReferenceMarkdown(): string {
  const rows = configKeys().map((k) => {
    const def =
      k.default === undefined
        ? k.required
          ? "**required**"
          : "—"
        : `\`${JSON.stringify(k.default)}\``;
    return `| \`${k.key}\` | \`${k.env}\` | ${k.type.replaceAll("|", "\\|")} | ${def.replaceAll("|", "\\|")} | ${k.description.replaceAll("|", "\\|")} |`;
  });
  return [
    "# Configuration reference",
    "",
    "<!-- Generated from src/config/schema.ts by `npm run docs:config`; a test fails if it drifts. -->",
    "",
    "Pass these to `createKeyward({...})`. Every key can also be set by its environment variable,",
    "which wins over the value in code: booleans as `true`/`false`, numbers as digits, lists",
    "comma-separated, durations as milliseconds or text such as `5m`, `12h`, `30d`.",
    "An invalid value, or an option that does not exist (a typo), stops start-up with a message",
    "naming the key and the reason (and the option probably meant).",
    "In an editor, each key's meaning, default and variable also show on hover: the options",
    "type `KeywardConfigInput` (src/config/options.generated.ts) is generated from the same schema.",
    "",
    "Constructor parameters that are not configuration values: `webauthnUtil` (a `WebauthnUtil`",
    "subclass), `clock`, `policy` (sign-in hooks: `onSignInFailed` may lock an account,",
    "`secondFactorRequired` decides per user and sign-in; see security.md and two-factor.md),",
    "and event handlers (`auth.events.on(...)`).",
    "",
    "| key | environment | type | default | meaning |",
    "|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

import { z } from "zod";
import { configKeys, type JsonSchemaNode } from "../src/config/reference.js";
import { configSchema } from "../src/config/schema.js";

const WIDTH = 100;

function tsType(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((value) => JSON.stringify(value)).join(" | ");
  if (node.anyOf) return node.anyOf.map(tsType).join(" | ");
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  return types
    .map((type) => {
      if (type === "array" && node.items) {
        const item = tsType(node.items);
        return item.includes("|") ? `(${item})[]` : `${item}[]`;
      }
      if (type === "integer") return "number";
      return type;
    })
    .join(" | ");
}

function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  return JSON.stringify(value);
}

/** A TSDoc block at `indent`, its text wrapped to the formatter's line width. */
function docComment(paragraphs: string[][], indent: string): string[] {
  const single = `${indent}/** ${paragraphs.flat().join(" ")} */`;
  if (paragraphs.flat().length === 1 && single.length <= WIDTH) return [single];
  const lead = `${indent} * `;
  const lines = [`${indent}/**`];
  paragraphs.forEach((paragraph, index) => {
    if (index > 0) lines.push(`${indent} *`);
    for (const text of paragraph) {
      // A tag's value (a default) stays on one line, so it reads as one code span.
      if (text.startsWith("@")) {
        lines.push(`${lead}${text}`);
        continue;
      }
      let line = "";
      for (const word of text.replaceAll("*/", "*\\/").split(/\s+/)) {
        if (line && lead.length + line.length + 1 + word.length > WIDTH) {
          lines.push(`${lead}${line}`);
          line = word;
        } else {
          line = line ? `${line} ${word}` : word;
        }
      }
      lines.push(`${lead}${line}`);
    }
  });
  lines.push(`${indent} */`);
  return lines;
}

/** A field declaration laid out as the formatter (biome) would: long unions one member a line. */
function declaration(head: string, type: string): string[] {
  const line = `${head} ${type};`;
  if (line.length <= WIDTH) return [line];
  const array = /^\((.*)\)\[\]$/.exec(type);
  const members = (array ? array[1]! : type).split(" | ");
  if (array) return [`${head} (`, ...members.map((m) => `    | ${m}`), "  )[];"];
  return [head, ...members.map((m, i) => `    | ${m}${i === members.length - 1 ? ";" : ""}`)];
}

const pascal = (name: string) => name[0]!.toUpperCase() + name.slice(1);

/**
 * src/config/options.generated.ts: the configuration as the app writes it, one type per
 * group, every field with its meaning, default and environment variable, so an editor shows
 * them on hover. The same schema walk as docs/configuration.md (src/config/reference.ts).
 */
export function configOptionsSource(): string {
  const root = z.toJSONSchema(configSchema, { io: "input" }) as JsonSchemaNode;
  const envOf = new Map(configKeys().map((key) => [key.key, key.env]));
  const groups: string[][] = [];

  const field = (name: string, node: JsonSchemaNode, path: string[], required: boolean) => {
    const key = [...path, name].join(".");
    const lines: string[] = [];
    if (node.properties) {
      const groupName = `${pascal(name)}ConfigInput`;
      groups.push(body(groupName, node, [...path, name], `\`${key}\`: ${node.description ?? ""}`));
      lines.push(...docComment([[node.description ?? ""]], "  "));
      lines.push(`  ${name}${required ? "" : "?"}: ${groupName};`);
      return lines;
    }
    const paragraphs = [[node.description ?? ""]];
    if (required && node.default === undefined) paragraphs.push(["Required."]);
    const env = [`Environment variable: \`${envOf.get(key)}\``];
    if (node.default !== undefined) env.push(`@defaultValue \`${literal(node.default)}\``);
    paragraphs.push(env);
    lines.push(...docComment(paragraphs, "  "));
    lines.push(...declaration(`  ${name}${required ? "" : "?"}:`, tsType(node)));
    return lines;
  };

  const body = (name: string, node: JsonSchemaNode, path: string[], summary: string) => {
    const required = new Set(node.required ?? []);
    const fields = Object.entries(node.properties ?? {}).map(([child, childNode]) =>
      field(child, childNode, path, required.has(child)),
    );
    return [
      ...docComment([[summary]], ""),
      // A type literal, not an interface: like z.input's type, it is assignable to
      // Record<string, unknown> (interfaces carry no implicit index signature).
      `export type ${name} = {`,
      ...fields.flatMap((lines, index) => (index > 0 ? ["", ...lines] : lines)),
      "};",
    ];
  };

  const top = body(
    "KeywardConfigInput",
    root,
    [],
    "Configuration as the app writes it (what `createKeyward` takes besides its services): defaults may be left out, durations may be text. Every key can also be set by its KEYWARD_* environment variable, which wins over the value in code.",
  );
  return [
    "// Generated from src/config/schema.ts by `npm run docs:config`; do not edit.",
    "// test/unit/config.test.ts fails when it drifts, and holds it equal to z.input of the schema.",
    "",
    ...top,
    ...groups.flatMap((lines) => ["", ...lines]),
    "",
  ].join("\n");
}

import type { Context } from "hono";
import type { z } from "zod";
import { ErrorCode, KeywardError } from "../core/errors.js";

export type BodyKind = "json" | "form";

/** The kind of body a request carries; anything else is refused before it is read. */
export function bodyKind(contentType: string | undefined): BodyKind {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/x-www-form-urlencoded") return "form";
  throw new KeywardError(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
}

/** Reads and parses the body, refusing it past `limit` bytes whatever Content-Length claims. */
export async function readBody(c: Context, limit: number): Promise<unknown> {
  const kind = bodyKind(c.req.header("content-type"));
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  const text = await readLimited(c.req.raw, limit);
  if (kind === "form") {
    const fields = Object.fromEntries(new URLSearchParams(text));
    for (const value of Object.values(fields)) refuseNul(value);
    return fields;
  }
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw new KeywardError(ErrorCode.MALFORMED_JSON);
  }
  // In JSON a NUL can only arrive escaped; only then is the parsed value searched.
  if (text.includes("\\u0000")) refuseNulIn(parsed);
  return parsed;
}

/** Walks a parsed body without recursion (bodies may nest deeply) looking for NUL in strings. */
function refuseNulIn(value: unknown): void {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === "string") refuseNul(next);
    else if (next !== null && typeof next === "object") pending.push(...Object.values(next));
  }
}

/**
 * No legitimate field carries a NUL character, and PostgreSQL cannot store one in text: refuse
 * it at the edge rather than fail deeper with a store error.
 */
function refuseNul(value: string): void {
  if (value.includes("\u0000")) {
    throw new KeywardError(ErrorCode.INVALID_INPUT, "Text may not contain NUL characters.");
  }
}

function tooLarge(limit: number): KeywardError {
  return new KeywardError(ErrorCode.BODY_TOO_LARGE, `The request body exceeds ${limit} bytes.`);
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

async function readLimited(request: Request, limit: number): Promise<string> {
  // The app's mistake, not the client's (a 500, logged): say which, rather than "unusable".
  if (request.bodyUsed) {
    throw new Error(
      "the request body was read before Keyward (by a body parser or middleware ahead of it): let Keyward read its routes' bodies (docs/adapters.md)",
    );
  }
  // With a Content-Length (already checked against the limit) and no chunked coding, the HTTP
  // parser delivers exactly that many bytes: read them at once. On Node this reads straight from
  // the socket instead of building a full Request, a web stream and an AbortSignal per POST.
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && !request.headers.has("transfer-encoding")) {
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > limit) throw tooLarge(limit);
    return utf8.decode(bytes);
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return utf8.decode(Buffer.concat(chunks));
}

/** Validates input against a schema once, at the edge; the inferred type carries the rest. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join(".") || "body";
    throw new KeywardError(ErrorCode.INVALID_INPUT, `${field}: ${issue?.message ?? "invalid"}`, {
      field,
    });
  }
  return result.data;
}

import type { WebauthnHelpers } from "./library.js";

const UNPADDED_BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * The library's base64url decoding (isoBase64URL.toBuffer), through Node's native decoder for
 * the unpadded alphabet (which the HTTP edge guarantees, and on which both agree byte for byte)
 * and through the library itself (`helpers`, loaded by the caller: library.ts) for anything else.
 */
export function decodeBase64url(value: string, helpers: WebauthnHelpers): Uint8Array<ArrayBuffer> {
  return typeof value === "string" && UNPADDED_BASE64URL.test(value)
    ? Buffer.from(value, "base64url")
    : helpers.isoBase64URL.toBuffer(value);
}

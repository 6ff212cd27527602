import { isoBase64URL } from "@simplewebauthn/server/helpers";

const UNPADDED_BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * The library's base64url decoding (isoBase64URL.toBuffer), through Node's native decoder for
 * the unpadded alphabet (which the HTTP edge guarantees, and on which both agree byte for byte)
 * and through the library itself for anything else.
 */
export function decodeBase64url(value: string): Uint8Array<ArrayBuffer> {
  return typeof value === "string" && UNPADDED_BASE64URL.test(value)
    ? Buffer.from(value, "base64url")
    : isoBase64URL.toBuffer(value);
}

import { decodeClientDataJSON } from "@simplewebauthn/server/helpers";
import { ErrorCode, KeywardError } from "../core/errors.js";

const UNPADDED_BASE64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder();

/**
 * Checks the library leaves to the relying party: Keyward is never embedded cross-origin, so a
 * response made inside a cross-origin frame (crossOrigin or topOrigin set) is refused.
 */
export function refuseCrossOrigin(clientDataJSON: string): void {
  let clientData: { crossOrigin?: unknown; topOrigin?: unknown };
  try {
    // Unpadded base64url (what the HTTP edge hands on) decodes natively, as the library would.
    clientData = (
      UNPADDED_BASE64URL.test(clientDataJSON)
        ? JSON.parse(utf8.decode(Buffer.from(clientDataJSON, "base64url")))
        : decodeClientDataJSON(clientDataJSON)
    ) as typeof clientData;
  } catch {
    throw new KeywardError(
      ErrorCode.WEBAUTHN_VERIFICATION_FAILED,
      "clientDataJSON is not valid JSON.",
    );
  }
  if (typeof clientData !== "object" || clientData === null) {
    throw new KeywardError(
      ErrorCode.WEBAUTHN_VERIFICATION_FAILED,
      "clientDataJSON is not a JSON object.",
    );
  }
  if (clientData.crossOrigin === true || clientData.topOrigin !== undefined) {
    throw new KeywardError(
      ErrorCode.WEBAUTHN_VERIFICATION_FAILED,
      "The ceremony ran in a cross-origin frame, which is not allowed.",
    );
  }
}

/** Any failure inside the verification library becomes a stable code with the library's reason. */
export function verificationFailed(error: unknown): KeywardError {
  if (error instanceof KeywardError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new KeywardError(
    ErrorCode.WEBAUTHN_VERIFICATION_FAILED,
    `The key's response was refused: ${reason}`,
  );
}

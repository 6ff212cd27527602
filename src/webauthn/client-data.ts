import { ErrorCode, KeywardError } from "../core/errors.js";
import { decodeBase64url } from "./base64url.js";
import { webauthnLibrary } from "./library.js";

const utf8 = new TextDecoder();

/**
 * Checks the library leaves to the relying party: Keyward is never embedded cross-origin, so a
 * response made inside a cross-origin frame (crossOrigin or topOrigin set) is refused.
 */
export async function refuseCrossOrigin(clientDataJSON: string): Promise<void> {
  const { helpers } = await webauthnLibrary();
  let clientData: { crossOrigin?: unknown; topOrigin?: unknown };
  try {
    // As the library's decodeClientDataJSON, with its decoding (see base64url.ts).
    const bytes = decodeBase64url(clientDataJSON, helpers);
    clientData = JSON.parse(utf8.decode(bytes)) as typeof clientData;
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

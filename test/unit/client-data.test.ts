import { describe, expect, it } from "vitest";
import { KeywardError } from "../../src/core/errors.js";
import { refuseCrossOrigin } from "../../src/webauthn/client-data.js";

const encode = (json: string, pad = false) => {
  const text = Buffer.from(json).toString("base64url");
  return pad ? text.padEnd(Math.ceil(text.length / 4) * 4, "=") : text;
};
const refusal = (clientDataJSON: string) => {
  try {
    refuseCrossOrigin(clientDataJSON);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(KeywardError);
    return (error as KeywardError).code;
  }
};

describe("refuseCrossOrigin", () => {
  const sameOrigin = JSON.stringify({ type: "webauthn.get", origin: "https://example.com" });

  it("lets a same-origin clientDataJSON through, padded or not", () => {
    expect(refusal(encode(sameOrigin))).toBeUndefined();
    expect(refusal(encode(sameOrigin, true))).toBeUndefined();
    expect(refusal(encode(JSON.stringify({ crossOrigin: false })))).toBeUndefined();
  });

  it("refuses a ceremony run in a cross-origin frame", () => {
    expect(refusal(encode(JSON.stringify({ crossOrigin: true })))).toBe(
      "WEBAUTHN_VERIFICATION_FAILED",
    );
    expect(refusal(encode(JSON.stringify({ topOrigin: "https://evil.example" }), true))).toBe(
      "WEBAUTHN_VERIFICATION_FAILED",
    );
  });

  it("refuses with a stable code, never a crash, what is not a JSON object", () => {
    for (const json of ["null", "42", '"text"', "{", "\ufeff{}x", ""]) {
      expect(refusal(encode(json)), json).toBe("WEBAUTHN_VERIFICATION_FAILED");
    }
  });
});

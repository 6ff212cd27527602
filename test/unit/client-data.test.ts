import { describe, expect, it } from "vitest";
import { KeywardError } from "../../src/core/errors.js";
import { refuseCrossOrigin } from "../../src/webauthn/client-data.js";

const encode = (json: string, pad = false) => {
  const text = Buffer.from(json).toString("base64url");
  return pad ? text.padEnd(Math.ceil(text.length / 4) * 4, "=") : text;
};
const refusal = async (clientDataJSON: string) => {
  try {
    await refuseCrossOrigin(clientDataJSON);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(KeywardError);
    return (error as KeywardError).code;
  }
};

describe("refuseCrossOrigin", () => {
  const sameOrigin = JSON.stringify({ type: "webauthn.get", origin: "https://example.com" });

  it("lets a same-origin clientDataJSON through, padded or not", async () => {
    expect(await refusal(encode(sameOrigin))).toBeUndefined();
    expect(await refusal(encode(sameOrigin, true))).toBeUndefined();
    expect(await refusal(encode(JSON.stringify({ crossOrigin: false })))).toBeUndefined();
  });

  it("refuses a ceremony run in a cross-origin frame", async () => {
    expect(await refusal(encode(JSON.stringify({ crossOrigin: true })))).toBe(
      "WEBAUTHN_VERIFICATION_FAILED",
    );
    expect(await refusal(encode(JSON.stringify({ topOrigin: "https://evil.example" }), true))).toBe(
      "WEBAUTHN_VERIFICATION_FAILED",
    );
  });

  it("refuses with a stable code, never a crash, what is not a JSON object", async () => {
    for (const json of ["null", "42", '"text"', "{", "\ufeff{}x", ""]) {
      expect(await refusal(encode(json)), json).toBe("WEBAUTHN_VERIFICATION_FAILED");
    }
  });
});

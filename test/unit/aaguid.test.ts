import { describe, expect, it } from "vitest";
import { authenticatorName, normaliseAaguid, normaliseNames } from "../../src/webauthn/aaguid.js";

const YUBIKEY_5 = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
const GOOGLE_PASSWORD_MANAGER = "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4";
const ZERO = "00000000-0000-0000-0000-000000000000";

describe("authenticatorName", () => {
  it("names well-known security keys and passkey providers", () => {
    expect(authenticatorName(YUBIKEY_5)).toBe("YubiKey 5 Series");
    expect(authenticatorName(GOOGLE_PASSWORD_MANAGER)).toBe("Google Password Manager");
    expect(authenticatorName("08987058-cadc-4b81-b6e1-30de50dcbe96")).toBe("Windows Hello");
  });

  it("accepts any case and missing hyphens", () => {
    expect(authenticatorName(YUBIKEY_5.toUpperCase())).toBe("YubiKey 5 Series");
    expect(authenticatorName(YUBIKEY_5.replaceAll("-", ""))).toBe("YubiKey 5 Series");
  });

  it("knows no name for the all-zero AAGUID, unknown models or non-UUIDs", () => {
    expect(authenticatorName(ZERO)).toBeUndefined();
    expect(authenticatorName("12345678-1234-1234-1234-123456789abc")).toBeUndefined();
    expect(authenticatorName("not-an-aaguid")).toBeUndefined();
    expect(authenticatorName("")).toBeUndefined();
  });

  it("lets the app's map add, replace and hide names", () => {
    const names = normaliseNames({
      [YUBIKEY_5.toUpperCase()]: "Company YubiKey",
      "12345678123412341234123456789ABC": "In-house key",
      [GOOGLE_PASSWORD_MANAGER]: "",
    });
    expect(authenticatorName(YUBIKEY_5, names)).toBe("Company YubiKey");
    expect(authenticatorName("12345678-1234-1234-1234-123456789abc", names)).toBe("In-house key");
    expect(authenticatorName(GOOGLE_PASSWORD_MANAGER, names)).toBeUndefined();
    expect(authenticatorName("08987058-cadc-4b81-b6e1-30de50dcbe96", names)).toBe("Windows Hello");
  });

  it("refuses an app map keyed by something that is not an AAGUID", () => {
    expect(() => normaliseNames({ yubikey: "YubiKey" })).toThrow(/"yubikey" is not an AAGUID/);
  });

  it("canonicalises AAGUIDs", () => {
    expect(normaliseAaguid(" CB69481E8FF7403993EC0A2729A154A8 ")).toBe(YUBIKEY_5);
    expect(normaliseAaguid("cb69481e-8ff7-4039-93ec-0a2729a154a")).toBeUndefined();
  });
});

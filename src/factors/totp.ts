import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { lazyImport } from "../core/lazy.js";
import type { SecondFactorSettings } from "../store/store.js";
import { open } from "./secret-box.js";

// Authenticator apps assume SHA-1, 6 digits and 30-second steps; anything else breaks some.
const PERIOD_SECONDS = 30;
// ±1 step: a code from the step before or after still counts (clock drift, typing time).
const TOLERANCE_SECONDS = PERIOD_SECONDS;

// Imported on first use: a server whose users never set up an authenticator app need not hold them.
const otplib = lazyImport(() => import("otplib"));
const qrcode = lazyImport(async () => (await import("qrcode")).default);

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: "invalid" | "used" };

/** A new TOTP secret: 20 random bytes (160 bits, RFC 4226's recommendation), base32. */
export async function newTotpSecret(): Promise<string> {
  return (await otplib()).generateSecret({ length: 20 });
}

/** The otpauth:// URI an authenticator app scans: issuer and account name, then the secret. */
export async function totpUri(issuer: string, account: string, secret: string): Promise<string> {
  const { generateURI } = await otplib();
  return generateURI({ issuer, label: account, secret, period: PERIOD_SECONDS, digits: 6 });
}

/** The URI as an SVG QR code; medium error correction survives a slightly blurry scan. */
export async function qrSvg(uri: string): Promise<string> {
  const QRCode = await qrcode();
  return QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

/**
 * Checks a code at `nowMs` within ±1 step. A code whose step is at or before `lastStep` was
 * (or could have been) accepted already: it is a replay. otplib compares in constant time.
 */
export async function checkTotp(
  secret: string,
  code: string,
  nowMs: number,
  lastStep: number | null,
): Promise<TotpCheck> {
  const { verify } = await otplib();
  let result: Awaited<ReturnType<typeof verify>>;
  try {
    result = await verify({
      secret,
      token: code,
      epoch: Math.floor(nowMs / 1000),
      period: PERIOD_SECONDS,
      epochTolerance: TOLERANCE_SECONDS,
    });
  } catch {
    // otplib throws on malformed tokens; to the caller that is just a wrong code.
    return { ok: false, reason: "invalid" };
  }
  if (!result.valid || !("timeStep" in result)) return { ok: false, reason: "invalid" };
  if (lastStep !== null && result.timeStep <= lastStep) return { ok: false, reason: "used" };
  return { ok: true, step: result.timeStep };
}

/**
 * Spends a TOTP code of an enrolled user: it must verify (±1 step) and its step must be later
 * than the last one accepted. Recording the step is one conditional UPDATE, so a code
 * accepted once is refused again, even by a request racing with the first.
 */
export async function spendTotp(
  ctx: KeywardContext,
  userId: string,
  settings: SecondFactorSettings,
  code: string,
): Promise<void> {
  if (settings.totpSecret === null) {
    throw new KeywardError(ErrorCode.TWO_FACTOR_NOT_ENROLLED, "No authenticator app is set up.");
  }
  let secret: string;
  try {
    secret = open(ctx.config.secret, userId, settings.totpSecret);
  } catch {
    // Sealed under another app secret (a rotated `secret`): the app must be enrolled again.
    throw new KeywardError(
      ErrorCode.TWO_FACTOR_METHOD_NOT_AVAILABLE,
      "The authenticator app can no longer be checked here; use another method or a recovery code.",
    );
  }
  const check = await checkTotp(secret, code, ctx.clock.now(), settings.totpLastStep);
  if (check.ok && (await ctx.store.secondFactors.acceptTotpStep(userId, check.step))) return;
  if (!check.ok && check.reason === "invalid") {
    throw new KeywardError(ErrorCode.TWO_FACTOR_CODE_INVALID);
  }
  throw new KeywardError(ErrorCode.TWO_FACTOR_CODE_USED);
}

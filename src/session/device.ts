import type { Translate } from "../i18n/catalogue.js";
import { inEnglish } from "../i18n/translator.js";

/**
 * A short, human description of the device behind a User-Agent ("Firefox on Windows"), for
 * session lists and security notices: only a known browser family and OS, so nothing a client
 * writes in the header reaches anyone verbatim. A guess, never used for a decision.
 */
export function describeDevice(
  userAgent: string | null,
  t: Translate = inEnglish.t,
): string | null {
  if (!userAgent) return null;
  const ua = userAgent;
  const browser = /\bEdg(e|A|iOS)?\//.test(ua)
    ? "Edge"
    : /\bOPR\/|\bOpera\b/.test(ua)
      ? "Opera"
      : /\bFirefox\/|\bFxiOS\//.test(ua)
        ? "Firefox"
        : /\bChrome\/|\bCriOS\/|\bChromium\//.test(ua)
          ? "Chrome"
          : /\bSafari\//.test(ua) && /\bVersion\//.test(ua)
            ? "Safari"
            : undefined;
  const os = /\b(iPhone|iPad|iPod)\b/.test(ua)
    ? "iOS"
    : /\bAndroid\b/.test(ua)
      ? "Android"
      : /\bCrOS\b/.test(ua)
        ? "ChromeOS"
        : /\bWindows\b/.test(ua)
          ? "Windows"
          : /\bMac OS X\b|\bMacintosh\b/.test(ua)
            ? "macOS"
            : /\bLinux\b/.test(ua)
              ? "Linux"
              : undefined;
  if (browser && os) return t("device.browserOnOs", { browser, os });
  // Never the header itself: it is the client's own text, and it reaches security mails.
  return browser ?? os ?? null;
}

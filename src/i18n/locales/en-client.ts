/**
 * The browser script's part of the message catalogue (locales/en.ts merges it in): errors and
 * progress of passkey ceremonies. A file of its own so the script bundles only these.
 */
export const clientEn = {
  "client.unsupported":
    "This browser can't use passkeys or security keys here. Use another sign-in option.",
  "client.cancelled":
    "Nothing changed: the request was cancelled, or your device couldn't confirm it's you.",
  "client.timedOut":
    "No key answered in time. Check that your security key is connected or your device is unlocked, then try again.",
  "client.aborted": "The request was stopped.",
  "client.alreadyRegistered": "This key is already registered to your account.",
  "client.security": "This page's address doesn't match the site's passkey settings.",
  "client.notSupported": "This key can't be used here. Try another key or device.",
  "client.authenticator": "Your key reported an error. Try again, or use another key.",
  "client.network": "Couldn't reach the server. Check your connection and try again.",
  "client.unknownCredential":
    "That passkey isn't registered here any more. It may have been removed; use another way to sign in.",
  "client.freshness": "For your security, confirm it's you first.",
  "client.reauthenticate":
    "It's been a while since you confirmed it's you. Confirm it with your passkey, or sign in again.",
  "client.unauthenticated": "You're signed out. Sign in again to continue.",
  "client.stateExpired": "This took too long. Please try again.",
  "client.nameTaken": "You already have a key with that name. Choose another name.",
  "client.credentialExists": "This key is already registered.",
  "client.usageNotAllowed": "This key can't be used for this.",
  "client.rateLimited": "Too many attempts. Wait a moment and try again.",
  "client.lastSignInMethod":
    "This is your only way to sign in. Add another passkey or set a password first, or confirm that you want to remove it.",
  "client.server": "Something went wrong. Please try again.",
  "client.working": "Waiting for your key\u2026",
  "client.keyAdded": "Key added.",
  "client.passkeyUpgraded":
    "Your password manager saved a passkey for this account. Next time, sign in with it.",
} as const;

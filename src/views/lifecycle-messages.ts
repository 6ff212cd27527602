import { format } from "./messages.js";

/**
 * Texts of the account lifecycle pages (reset password, recover, confirm email, change
 * password / email, sessions), in the same shape as the main catalogue (`{placeholders}`),
 * so they can join it; until then they are English only.
 */
export const lifecycleEn = {
  "reset.title": "Reset your password",
  "reset.intro":
    "Enter your account's email address and we'll send you a link to choose a new password.",
  "reset.submit": "Send the link",
  "reset.sent":
    "If an account uses that address, a link is on its way. Check your inbox (and spam folder); the link works once and expires soon.",
  "reset.newTitle": "Choose a new password",
  "reset.newIntro": "Resetting your password signs you out on every device.",
  "reset.newSubmit": "Save and sign in",
  "reset.lostKey": "Sign in with a passkey and lost it?",
  "reset.recover": "Recover your account",

  "recover.title": "Recover your account",
  "recover.intro":
    "Lost the device with your passkey? Enter your account's email address and we'll send you a link to add a new passkey.",
  "recover.submit": "Send the link",
  "recover.sent":
    "If an account uses that address, a link is on its way. Check your inbox (and spam folder); the link works once and expires soon.",
  "recover.landingTitle": "Add a new passkey",
  "recover.landingIntro":
    "This link opens a short session that can only add a new passkey to your account. Then you sign in with it.",
  "recover.code": "Recovery code",
  "recover.codeHint":
    "Your account has two-step verification: enter one of the recovery codes you saved.",
  "recover.continue": "Continue",
  "recover.keyTitle": "Add your new passkey",
  "recover.keyIntro":
    "Create a passkey on this device (or a security key). Then sign in with it to use your account.",
  "recover.keyName": "Name",
  "recover.keyNameHint": "So you can tell your keys apart, e.g. \u201cNew phone\u201d.",
  "recover.keySubmit": "Add passkey",
  "recover.needsJs": "Adding a passkey needs JavaScript and a browser that supports passkeys.",
  "recover.usePassword": "Your account has a password?",
  "recover.reset": "Reset your password",

  "confirm.title": "Confirm your email",
  "confirm.intro": "Confirm that this is your email address.",
  "confirm.submit": "Confirm my email",
  "confirm.sent": "We sent a confirmation link. Open it to confirm your email address.",
  "confirm.done": "Thanks, your email address is confirmed.",
  "confirm.resendIntro": "Didn't get the link, or did it expire? We can send a new one.",
  "confirm.resend": "Send a new link",
  "confirm.continue": "Continue",

  "password.title": "Change your password",
  "password.setTitle": "Set a password",
  "password.intro": "Changing your password signs you out on your other devices.",
  "password.current": "Current password",
  "password.currentHint": "Or confirm it's you first, then leave this empty.",
  "password.new": "New password",
  "password.submit": "Change password",
  "password.setSubmit": "Set password",
  "password.changed": "Your password was changed. Your other sessions were signed out.",
  "password.stale": "Setting a password needs a recent sign-in. Confirm it's you first.",

  "email.title": "Change your email",
  "email.intro":
    "Your email is {email}. We'll send a link to the new address; the change happens when you open it.",
  "email.new": "New email address",
  "email.submit": "Send the link",
  "email.sent":
    "Check the new address for a link to confirm it. Your current address was told too.",
  "email.confirmTitle": "Confirm your new email",
  "email.confirmIntro": "Use this address for your account from now on?",
  "email.confirmSubmit": "Confirm the new address",
  "email.changed": "Your email address was changed.",
  "email.stale": "Changing your email needs a recent sign-in. Confirm it's you first.",

  "sessions.title": "Where you're signed in",
  "sessions.intro":
    "These devices are signed in to your account. Sign out any you don't recognise.",
  "sessions.current": "This device",
  "sessions.unknownDevice": "Unknown device",
  "sessions.lastSeen": "Last active",
  "sessions.signedIn": "Signed in",
  "sessions.ip": "IP address",
  "sessions.recovery": "Recovery session",
  "sessions.revoke": "Sign out",
  "sessions.revoked": "That session was signed out.",
  "sessions.everywhere": "Sign out everywhere",
  "sessions.everywhereIntro": "Ends every session, this one included.",
  "sessions.everywhereConfirm": "Sign out on every device, this one included?",
  "sessions.stale": "Signing out other devices needs a recent sign-in. Confirm it's you first.",

  "common.confirmFirst": "Confirm it's you",
  "common.back": "Back to your account",
  "common.signIn": "Sign in",

  "error.TOKEN_INVALID": "This link is not valid or was already used. Ask for a new one.",
  "error.TOKEN_EXPIRED": "This link has expired. Ask for a new one.",
  "error.EMAIL_NOT_CONFIRMED": "Confirm your email address first: open the link we sent you.",
  "error.RECOVERY_CODE_REQUIRED": "Enter one of your recovery codes too.",
  "error.RECOVERY_CODE_INVALID": "That recovery code is not right or was already used.",
  "error.SESSION_LIMITED": "This recovery session can only add a new passkey.",
  "error.SESSION_NOT_FOUND": "That session has already ended.",
} as const;

export type LifecycleMessageKey = keyof typeof lifecycleEn;
export type LifecycleTranslate = (
  key: LifecycleMessageKey,
  vars?: Record<string, string | number>,
) => string;

/** The lifecycle texts with an app's overrides (any subset, same keys) applied. */
export function lifecycleCatalogue(
  overrides: Partial<Record<LifecycleMessageKey, string>> = {},
): LifecycleTranslate {
  const messages = { ...lifecycleEn, ...overrides };
  return (key, vars) => format(messages[key], vars);
}

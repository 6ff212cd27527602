import { type ErrorCode, errorCatalogue } from "../../core/errors.js";
import { clientEn } from "./en-client.js";

/**
 * What the pages say for a server error code, where the code's own message (core/errors.ts,
 * the one error catalogue) is not the best words for a person; keys must name a real code.
 */
const errorTexts = {
  "error.INVALID_INPUT": "Check what you entered: {detail}",
  "error.INVALID_CREDENTIALS": "The email, username or password is not right.",
  "error.EMAIL_TAKEN": "An account with that email already exists. Sign in instead?",
  "error.USERNAME_TAKEN": "That username is taken. Choose another one.",
  "error.PASSWORD_REQUIRED": "Choose a password.",
  "error.PASSWORD_TOO_SHORT": "The password must have at least {min} characters.",
  "error.PASSWORD_NOT_SET": "This account has no password. Use a passkey or security key.",
  "error.CSRF_FAILED": "This form expired. Please try again.",
  "error.FRESHNESS_REQUIRED": "For your security, confirm it's you first, then try again.",
  "error.RATE_LIMITED": "Too many attempts. Wait a moment and try again.",
  "error.STATE_INVALID": "This step expired or was already used. Please start again.",
  "error.STATE_EXPIRED": "This step expired. Please start again.",
  "error.ACCOUNT_INACTIVE": "This account is disabled.",
  "error.ACCOUNT_LOCKED":
    "This account is locked. Try again later, or ask the site's administrator to unlock it.",
  "error.WEBAUTHN_NAME_TAKEN": "You already have a key with that name. Choose another name.",
  "error.WEBAUTHN_KEY_LIMIT":
    "You have as many keys as an account may hold here. Remove one you no longer use first.",
  "error.WEBAUTHN_NAME_INVALID": "Give the key a name of at most {max} characters.",
  "error.WEBAUTHN_CREDENTIAL_NOT_FOUND": "That key no longer exists.",
  "error.WEBAUTHN_BACKUP_ELIGIBILITY_CHANGED":
    "This key no longer matches the one you registered. Use another key or sign in another way.",
  "error.AAL_REQUIRED": "To change this, sign in with your second factor first.",
  "error.REAUTHENTICATION_REQUIRED":
    "It's been a while since you confirmed it's you. Confirm it with your passkey, or sign in again.",
  "error.TWO_FACTOR_CODE_INVALID": "That code isn't right. Check it and try again.",
  "error.TWO_FACTOR_CODE_USED": "That code was already used. Wait for the next one.",
  "error.TWO_FACTOR_CODE_EXPIRED": "That code has expired. Ask for a new one.",
  "error.TWO_FACTOR_APPROVAL_PENDING":
    "We haven't seen your approval yet. Approve the sign-in, then continue.",
  "error.TWO_FACTOR_DENIED": "The sign-in was not approved.",
  "error.TWO_FACTOR_DEVICE_NOT_REMEMBERED":
    "This browser isn't remembered any more. Choose another way to confirm it's you.",
  "error.RECOVERY_CODE_INVALID": "That recovery code isn't right, or it was already used.",
  "error.RECOVERY_CODE_REQUIRED": "Enter one of your recovery codes too.",
  "error.TOKEN_INVALID": "This link is not valid or was already used. Ask for a new one.",
  "error.TOKEN_EXPIRED": "This link has expired. Ask for a new one.",
  "error.EMAIL_NOT_CONFIRMED": "Confirm your email address first: open the link we sent you.",
  "error.SESSION_LIMITED": "This recovery session can only add a new passkey.",
  "error.SESSION_NOT_FOUND": "That session has already ended.",
  "error.LAST_SIGN_IN_METHOD":
    "This is your only way to sign in. Add another passkey or set a password first, or confirm that you want to remove it.",
} as const satisfies Partial<Record<`error.${ErrorCode}`, string>>;

/** The error codes a response can carry (reserved ones are never sent). */
type SentCode = {
  [C in ErrorCode]: (typeof errorCatalogue)[C] extends { reserved: true } ? never : C;
}[ErrorCode];

/**
 * The JSON API's error messages, `api.<CODE>`: English is each code's default message in
 * core/errors.ts (the one error catalogue), so the two cannot drift apart.
 */
const apiMessages = Object.fromEntries(
  Object.entries(errorCatalogue)
    .filter(([, entry]) => !("reserved" in entry))
    .map(([code, entry]) => [`api.${code}`, entry.message]),
) as { readonly [C in SentCode as `api.${C}`]: (typeof errorCatalogue)[C]["message"] };

/**
 * Every text the default pages and the browser script show, and the JSON API's error
 * messages, in English (the account lifecycle pages' too: reset, recover, confirm, password,
 * email, sessions). Messages are ICU MessageFormat: `{name}` a parameter, `{count, plural,
 * one {# key} other {# keys}}` where a number changes the words. Keys starting with `client.`
 * are the browser script's (kept in en-client.ts so the script bundles only those); pages send
 * the chosen language's to it. Each shipped language has exactly these keys (`<tag>.ts`), plus
 * those of en-mail.ts (`<tag>-mail.ts`); see i18n/languages.ts and docs/languages.md.
 */
export const en = {
  lang: "en",
  "site.skip": "Skip to content",
  "site.signedInAs": "Signed in as {email}",
  "site.signOut": "Sign out",
  "site.security": "Security",
  "site.needsWebauthn":
    "Using a passkey or security key needs JavaScript and a browser that supports them.",

  "field.email": "Email",
  "field.username": "Username",
  "field.usernameHint": "Letters, digits, dot, dash and underscore.",
  "field.identity": "Email or username",
  "field.password": "Password",
  "field.newPassword": "Password",
  "field.passwordHint": "At least {min} characters.",
  "field.passwordOptionalHint":
    "Optional: leave it empty to sign in with a passkey only. At least {min} characters if set.",
  "field.code": "Code",
  "field.phone": "Phone number",
  "field.optional": "optional",

  "login.title": "Sign in",
  "login.intro": "Welcome back.",
  "login.passkey": "Sign in with a passkey",
  "login.or": "or",
  "login.submit": "Sign in with password",
  "login.forgotPassword": "Forgot your password?",
  "login.lostPasskey": "Lost your passkey?",
  "login.noPasskey":
    "No passkey for this site on this device? Sign in with your email or username and password below, or use a passkey on another device (a phone, a security key).",
  "login.noPasskeyRecover": "Lost your passkey? Recover your account",
  "login.noAccount": "New here?",
  "login.signUp": "Create an account",
  "login.remember": "Remember me on this browser",
  "login.codeEmail": "Email me a sign-in code",
  "login.codeSms": "Text me a sign-in code",

  "code.title": "Enter your sign-in code",
  "code.introEmail":
    "If an account goes with what you entered, we sent a code to its email address. Enter it below.",
  "code.introSms":
    "If an account goes with what you entered and has a phone number, we sent it a code by text message. Enter it below.",
  "code.submit": "Sign in",
  "code.again": "Ask for a new code",

  "register.title": "Create your account",
  "register.submit": "Create account",
  "register.haveAccount": "Already have an account?",
  "register.signIn": "Sign in",
  "register.passkeyTitle": "Add your passkey",
  "register.passkeyIntro":
    "Your account has no password, so a passkey is how you will sign in next time. Add it now: without it you cannot sign in again once this session ends.",
  "register.passkeySubmit": "Add passkey",
  "register.passkeyNeedsJs":
    "This browser cannot create a passkey here. Set a password instead, so you can sign in again.",
  "register.passkeyInstead": "Rather use a password?",
  "register.passkeySetPassword": "Set a password",

  "verify.title": "Confirm it's you",
  "verify.intro": "For your security, confirm it's you before changing how you sign in.",
  "verify.key": "Use a passkey or security key",
  "verify.password": "Password",
  "verify.passwordOnly": "Enter your password",
  "verify.submit": "Confirm",
  "verify.cancel": "Cancel",
  "verify.reauthIntro":
    "Your sign-in has timed out for this. Confirm it's you with your passkey, or sign in again.",
  "verify.reauthKey": "Use your passkey",
  "verify.signInAgain": "Sign in again",

  "tf.title": "Two-step verification",
  "tf.intro": "You're nearly signed in. Confirm it's you with a second step.",
  "tf.key": "Use my security key",
  "tf.totp": "Enter a code from my authenticator app",
  "tf.sms": "Text a code to my phone",
  "tf.email": "Email me a code",
  "tf.recovery": "Use a recovery code",
  "tf.restart": "Cancel and start over",
  "tf.codeTitle": "Enter your code",
  "tf.codeTotp": "Open your authenticator app and enter the 6-digit code it shows for {site}.",
  "tf.codeSms": "We sent a code by text message. Enter it below.",
  "tf.codeEmail": "We sent a code to your email. Enter it below.",
  "tf.codeRecovery": "Enter one of the recovery codes you saved. Each code works once.",
  "tf.codeApp": "Enter the code for: {label}.",
  "tf.approvalTitle": "Approve the sign-in",
  "tf.approvalIntro": "We asked for your approval ({label}). Approve it there, then continue here.",
  "tf.approvalContinue": "I approved it, continue",
  "tf.approvalWaiting": "Waiting for your approval\u2026",
  "tf.codeSubmit": "Verify",
  "tf.otherWay": "Choose another way",
  "tf.remember": "Don't ask again on this browser for {days, plural, one {# day} other {# days}}",
  "tf.remembered": "Continue: this browser is remembered",
  "tf.enrolTitle": "Set up two-step verification",
  "tf.enrolIntro":
    "This site asks everyone for a second step after the first one. Choose how you will prove it's you, set it up, and you're in.",
  "tf.enrolTotp": "Set up an authenticator app",
  "tf.enrolSms": "Text a code to my phone",
  "tf.enrolEmail": "Email a code to me",
  "tf.enrolKey": "Use a security key",
  "tf.enrolNone":
    "This site asks everyone for a second step, but none can be set up while signing in. Ask the site's administrator for help.",
  "setupCode.title": "Enter the code we sent",
  "setupCode.sms": "We sent a code by text message to {to}. Enter it to turn this on.",
  "setupCode.email": "We sent a code to {to}. Enter it to turn this on.",

  "account.title": "Sign-in and security",
  "account.keys": "Passkeys and security keys",
  "account.keysIntro":
    "Passkeys let you sign in without a password. Security keys confirm it's you after your password.",
  "account.keysPasskeys": "Passkeys",
  "account.keysPasskeysIntro": "Passkeys let you sign in without a password.",
  "account.keysSecurityKeys": "Security keys",
  "account.keysSecurityKeysIntro": "Security keys confirm it's you after your password.",
  "account.noKeys": "You have no passkeys or security keys yet.",
  "account.usage.first": "Passkey",
  "account.usage.secondary": "Second factor",
  "account.synced": "Synced",
  "account.deviceBound": "This device only",
  "account.syncedHint":
    "Backed up to a password manager or cloud account: your other devices have it too",
  "account.deviceBoundHint": "Stored only on this authenticator: it cannot be backed up",
  "account.notBackedUp": "Not backed up",
  "account.createdBy": "Added by",
  "account.createdByUpgrade": "Your password manager, when you signed in with your password",
  "account.notBackedUpHint":
    "It can be synced, but is not backed up now: turn on sync in your password manager",
  "account.onlyUnbackedKey":
    "You sign in only with a passkey that is not backed up. If you lose that device, you can get back in only through account recovery: add another passkey or a password.",
  "account.authenticator": "Authenticator",
  "account.unknownAuthenticator": "Unknown authenticator",
  "account.authPlatform": "Built into a device (screen lock)",
  "account.authHybrid": "A phone or tablet",
  "account.authRoaming": "Security key",
  "account.added": "Added",
  "account.lastUsed": "Last used",
  "account.neverUsed": "Never",
  "account.rename": "Rename",
  "account.renameLabel": "New name for {name}",
  "account.renameSubmit": "Save name",
  "account.delete": "Delete",
  "account.deleteLabel": "Delete {name}",
  "account.deleteConfirm": "Delete {name}? You will no longer be able to use it here.",
  "account.deleteLastSignIn":
    "Delete {name}? It is your only way to sign in: with no password and no other passkey, you will not be able to sign in again (only account recovery by email is left).",
  "account.deleteLastSignInCheck": "I understand I will not be able to sign in without it",
  "account.deleteOnlySecondFactor":
    "Delete {name}? It is your only second factor: two-step verification will be turned off, and your recovery codes will stop working.",
  "account.platformSecondWarning":
    "A key bound to this device is lost with the device. As your only second factor it could lock you out: choose a security key or another device, or also set up an authenticator app.",
  "account.signIn.none":
    "You have no way to sign in again: no password and no passkey. Add a passkey or set a password before this session ends.",
  "account.signIn.password": "You sign in with your password.",
  "account.signIn.passkey": "You sign in with your passkey.",
  "account.signIn.passkeys":
    "You sign in with one of your {count, plural, one {# passkey} other {# passkeys}}.",
  "account.signIn.both": "You sign in with your password or a passkey.",
  "account.flagged": "Warning: this key's counter went backwards; it may have been copied.",
  "account.add": "Add a key",
  "account.keyName": "Name",
  "account.keyNameHint":
    "So you can tell your keys apart, e.g. \u201cWork laptop\u201d. Left empty, the key is named after its authenticator.",
  "account.usage": "Use it to",
  "account.usageFirst": "Sign in without a password (passkey)",
  "account.usageSecondary": "Confirm it's me after my password (second factor)",
  "account.where": "Where is the key?",
  "account.wherePlatform": "On this device (fingerprint, face or screen lock)",
  "account.whereCrossPlatform": "A security key (USB, NFC or Bluetooth)",
  "account.whereHybrid": "A phone or tablet (scan a QR code)",
  "account.addSubmit": "Add key",
  "account.addNeedsJs": "Adding a key needs JavaScript and a browser that supports passkeys.",
  "account.twoFactor": "Two-step verification",
  "account.twoFactorOn": "On: after your password, you confirm it's you with {methods}.",
  "account.twoFactorOff": "Off: signing in takes no second step.",
  "account.method.webauthn": "a security key",
  "account.method.totp": "an authenticator app",
  "account.method.sms": "a text message",
  "account.method.email": "an email code",
  "account.method.recovery": "a recovery code",
  "account.totp": "Authenticator app",
  "account.totpOn": "Set up: sign-in asks for a code from your app.",
  "account.totpOff": "Use an app such as Google Authenticator, 1Password or Aegis for codes.",
  "account.totpSetup": "Set up an authenticator app",
  "account.totpReplace": "Replace authenticator app",
  "account.totpTurnOff": "Turn off",
  "account.totpOffConfirm": "Turn off codes from your authenticator app?",
  "account.recovery": "Recovery codes",
  "account.recoveryIntro":
    "Recovery codes let you in if you lose your second factor. Each code works once.",
  "account.recoveryLeft": "Unused codes: {count}.",
  "account.recoveryGenerate": "Generate new recovery codes",
  "account.recoveryConfirm": "Make new recovery codes? Your current ones will stop working.",
  "account.details": "Email, password and sessions",
  "account.email": "Email",
  "account.changeEmail": "Change email",
  "account.password": "Password",
  "account.passwordOn": "Set: you can sign in with it.",
  "account.passwordOff": "Not set.",
  "account.changePassword": "Change password",
  "account.setPassword": "Set a password",
  "account.sessions": "Sessions",
  "account.sessionsIntro": "Devices signed in to your account.",
  "account.sessionsLink": "See where you're signed in",
  "account.thisSession": "This session: signed in with {methods}.",
  "account.stale":
    "Adding, renaming or deleting keys needs a recent sign-in. Confirm it's you first.",
  "account.staleAction": "Confirm it's you",

  "totp.title": "Set up an authenticator app",
  "totp.step1": "Scan this QR code with your authenticator app.",
  "totp.manual": "Can't scan it? Enter this key instead:",
  "totp.step2": "Enter the 6-digit code the app shows to finish.",
  "totp.submit": "Turn on",
  "totp.qrAlt": "QR code for adding {site} to an authenticator app",

  "recovery.title": "Your recovery codes",
  "recovery.intro":
    "Save these codes somewhere safe. They are shown only once; each works one time. Any older codes no longer work.",
  "recovery.copy": "Copy codes",
  "recovery.copied": "Copied.",
  "recovery.download": "Download as text",
  "recovery.done": "I've saved them",
  "recovery.fileHeader": "Recovery codes for {site} ({email}). Each code works once.",

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
  "recover.noKeys":
    "This site does not use passkeys or security keys, so there is no key to add. Reset your password instead.",
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
  "sessions.method": "Signed in with",
  "sessions.recovery": "Recovery session",
  "sessions.revoke": "Sign out",
  "sessions.revoked": "That session was signed out.",
  "sessions.everywhere": "Sign out everywhere",
  "sessions.everywhereIntro": "Ends every session, this one included.",
  "sessions.everywhereConfirm": "Sign out on every device, this one included?",
  "sessions.stale": "Signing out other devices needs a recent sign-in. Confirm it's you first.",

  "amr.password": "password",
  "amr.passkeyVerified": "passkey with fingerprint or PIN",
  "amr.passkey": "passkey",
  "amr.securityKey": "security key",
  "amr.totp": "code from authenticator app",
  "amr.sms": "code sent by text message",
  "amr.email": "link or code sent by email",
  "amr.recovery": "recovery code",
  "amr.remembered": "remembered browser",
  "amr.pin": "PIN",
  "amr.approval": "approval on another device",
  "amr.phone": "phone call",
  "amr.signUp": "account sign-up",

  "common.confirmFirst": "Confirm it's you",
  "common.back": "Back to your account",
  "common.signIn": "Sign in",

  "done.signedOut": "You have signed out.",
  "done.welcome": "Your account is ready. Add a passkey to sign in without a password next time.",
  "done.keyAdded": "Key added.",
  "done.keyRenamed": "Key renamed.",
  "done.keyDeleted": "Key deleted.",
  "done.keyDeletedTwoFactorOff":
    "Key deleted. It was your only second factor, so two-step verification is now off and your recovery codes no longer work.",
  "done.passkeyAdded": "Your passkey is added. Sign in with it next time.",
  "done.passkeyUpgraded":
    "Your password manager saved a passkey for this account. Next time, sign in with it.",
  "done.keyDeletedSignedOut":
    "Key deleted. You had signed in with it, so you are signed out: sign in another way.",
  "done.factorRemovedSignedOut":
    "Second factor removed. You had signed in with it, so you are signed out: sign in again.",
  "done.verified": "Thanks, you're confirmed.",
  "done.twoFactorOn": "Two-step verification is on.",
  "done.pendingExpired": "That sign-in expired. Please sign in again.",
  "done.stepExpired": "That took too long. Please try again.",
  "done.recovered": "Your new key is added. Sign in with it to use your account.",

  ...errorTexts,
  ...clientEn,
  ...apiMessages,
} as const;

/**
 * What Keyward sends or tells a user outside the pages, in English: the account mails
 * (`mail.*`, account/mails.ts), the one-time code texts by SMS and email (`sms.*`,
 * `mail.code.*`, factors/codes.ts), the warnings the API and the account page give about a
 * second-factor setup (`warning.*`, factors/enrolment.ts) and the device words of security
 * notices and session lists (`device.*`). A file of its own beside en.ts so each language's
 * translation of these keys can arrive as `<tag>-mail.ts` (`<tag>Mail`); the registry
 * (i18n/languages.ts) merges the two parts into one catalogue.
 *
 * Placeholders: `{site}` the app's name (rp.name), `{email}` / `{newEmail}` addresses,
 * `{where}` the requesting device and IP in parentheses (or nothing), `{duration}` a lifetime
 * already in words ("30 minutes"), `{expires}` the whole `mail.expires` sentence (or nothing),
 * `{link}` a URL. Mail texts are plain text: paragraphs are separate keys.
 */
export const enMail = {
  "mail.expires": "It works once and expires in {duration}.",
  "mail.ipAddress": "IP address {ip}",
  "mail.ignore": "If you did not ask for this, ignore this email.",
  "mail.notYou":
    "If this was not you, sign in, change your password (or add a new passkey) and sign out everywhere; then tell us.",

  "mail.confirmEmail.subject": "Confirm your email for {site}",
  "mail.confirmEmail.intro":
    "Open this link to confirm that {email} is your email address for {site}:",
  "mail.confirmEmail.outro": "{expires} If you did not create an account, ignore this email.",

  "mail.changeEmail.subject": "Confirm your new email for {site}",
  "mail.changeEmail.intro":
    "Open this link to use {newEmail} as the email address of your {site} account (it was {email}):",
  "mail.changeEmail.outro":
    "{expires} You need to be signed in to confirm. If you did not ask for this, ignore this email.",

  "mail.resetPassword.subject": "Reset your {site} password",
  "mail.resetPassword.intro":
    "Someone (hopefully you) asked to reset the password of your {site} account{where}. Open this link to choose a new password:",
  "mail.resetPassword.outro":
    "{expires} Resetting signs you out everywhere. If you did not ask for this, ignore this email: your password stays as it is.",

  "mail.recoverAccount.subject": "Recover your {site} account",
  "mail.recoverAccount.intro":
    "Someone (hopefully you) asked to recover your {site} account{where}. Open this link to add a new passkey:",
  "mail.recoverAccount.outro":
    "{expires} The link opens a short session that can only add a key. If you did not ask for this, ignore this email.",

  "mail.resetWithoutPassword.subject": "About your {site} password",
  "mail.resetWithoutPassword.intro":
    "Someone (hopefully you) asked to reset the password of your {site} account, but it has no password: you sign in with a passkey.",
  "mail.resetWithoutPassword.recover": "Lost your passkey? Recover your account here: {link}",

  "mail.recoverWithPassword.subject": "About recovering your {site} account",
  "mail.recoverWithPassword.intro":
    "Someone (hopefully you) asked to recover your {site} account. Your account has a password, so reset the password instead: {link}",

  "mail.emailTaken.subject": "Your email and {site}",
  "mail.emailTaken.intro":
    "Someone signed in to {site} asked to move their account to {email}, but an account with this address exists already, so nothing changed.",

  "mail.emailChangeRequested.subject": "Your {site} email is about to change",
  "mail.emailChangeRequested.intro":
    "Someone signed in to your {site} account{where} asked to change its email address from {email} to {newEmail}. It changes once the new address is confirmed.",

  "mail.emailChanged.subject": "Your {site} email was changed",
  "mail.emailChanged.intro":
    "The email address of your {site} account was changed from {email} to {newEmail}{where}. Mail about the account now goes there.",

  "mail.passwordReset.subject": "Your {site} password was reset",
  "mail.passwordReset.intro":
    "The password of your {site} account was reset with an emailed link{where}. Every session was signed out.",

  "mail.passwordChanged.subject": "Your {site} password was changed",
  "mail.passwordChanged.intro":
    "The password of your {site} account was changed{where}. Your other sessions were signed out.",

  "mail.accountRecovered.subject": "Your {site} account was recovered",
  "mail.accountRecovered.intro":
    "Your {site} account was recovered with an emailed link{where}: a short session that can add a new passkey was opened.",

  "mail.unconfirmedHolderRemoved.subject": "Your {site} account was cleaned up",
  "mail.unconfirmedHolderRemoved.intro":
    "Your {site} account was created with {email} before this address was confirmed. It was just taken over with a link or sign-in code mailed to it{where}, so anything added before that, by you or by whoever signed up, was removed: {removed}.",
  "mail.unconfirmedHolderRemoved.outro":
    "Add the passkeys and second factors you want again. If you did not ask for the link, reset your password or recover your account now.",
  "mail.removed.password": "the password",
  "mail.removed.keys": "{count, plural, one {# passkey} other {# passkeys}}",
  "mail.removed.totp": "the authenticator app",
  "mail.removed.sms": "the phone number for codes",
  "mail.removed.email": "email codes",
  "mail.removed.recoveryCodes": "{count, plural, one {# recovery code} other {# recovery codes}}",
  "mail.removed.sessions": "{count, plural, one {# session} other {# sessions}} (signed out)",
  "mail.removed.nothing": "nothing",

  "mail.accessReset.subject": "Your {site} sign-in was reset",
  "mail.accessReset.intro":
    "An administrator of {site} reset how you sign in to your account: its passkeys, second factors, recovery codes and password were removed, and every session was signed out.",
  "mail.accessReset.password": "Open this link to choose a new password:",
  "mail.accessReset.passkey": "Open this link to add a new passkey:",
  "mail.accessReset.outro":
    "{expires} Then set up your second factors again. If you did not expect this, contact {site}.",

  "mail.code.subject": "Your {site} code: {code}",
  "mail.code.text":
    "Your {site} code is {code}. It expires in {minutes, plural, one {# minute} other {# minutes}}. Do not share it.",
  "mail.code.notYou": "If you did not try to sign in, change your password.",
  "sms.code":
    "Your {site} code is {code}. It expires in {minutes, plural, one {# minute} other {# minutes}}. Do not share it.",

  "warning.ONLY_PLATFORM_FACTOR":
    "Your only second factor is a key bound to one device. Add an authenticator app, a phone, or a security key, so losing that device does not lock you out.",
  "warning.NO_RECOVERY_CODES":
    "You have no recovery codes. Generate some and keep them somewhere safe.",

  "device.browserOnOs": "{browser} on {os}",
} as const;

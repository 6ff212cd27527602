/**
 * German translation of en-mail.ts (its header documents the placeholders). Same terms and
 * formal address ("Sie") as de.ts: Passkey, Sicherheitsschlüssel, Schlüssel, anmelden /
 * abmelden, zweiter Faktor, Wiederherstellungscode, Authenticator-App, E-Mail-Adresse,
 * Sitzung (ended sessions are "beendet"). The app is named as "Ihr Konto bei {site}" rather
 * than a compound ("{site}-Konto"), which breaks for names with spaces. `{where}` starts with
 * a space and a parenthesis, so it follows the verb that says what happened from there.
 */
export const deMail = {
  "mail.expires": "Der Link funktioniert nur einmal und läuft in {duration} ab.",
  "mail.ipAddress": "IP-Adresse {ip}",
  "mail.ignore": "Falls Sie dies nicht angefordert haben, können Sie diese E-Mail ignorieren.",
  "mail.notYou":
    "Falls Sie das nicht waren, melden Sie sich an, ändern Sie Ihr Passwort (oder fügen Sie einen neuen Passkey hinzu) und melden Sie sich überall ab. Geben Sie uns danach Bescheid.",

  "mail.confirmEmail.subject": "Ihre E-Mail-Adresse für {site} bestätigen",
  "mail.confirmEmail.intro":
    "Öffnen Sie diesen Link, um zu bestätigen, dass {email} Ihre E-Mail-Adresse für {site} ist:",
  "mail.confirmEmail.outro":
    "{expires} Falls Sie kein Konto erstellt haben, können Sie diese E-Mail ignorieren.",

  "mail.changeEmail.subject": "Ihre neue E-Mail-Adresse für {site} bestätigen",
  "mail.changeEmail.intro":
    "Öffnen Sie diesen Link, um {newEmail} als E-Mail-Adresse Ihres Kontos bei {site} zu verwenden (bisher {email}):",
  "mail.changeEmail.outro":
    "{expires} Zum Bestätigen müssen Sie angemeldet sein. Falls Sie dies nicht angefordert haben, können Sie diese E-Mail ignorieren.",

  "mail.resetPassword.subject": "Ihr Passwort für {site} zurücksetzen",
  "mail.resetPassword.intro":
    "Jemand (hoffentlich Sie) hat das Zurücksetzen des Passworts für Ihr Konto bei {site} angefordert{where}. Öffnen Sie diesen Link, um ein neues Passwort festzulegen:",
  "mail.resetPassword.outro":
    "{expires} Wenn Sie Ihr Passwort zurücksetzen, werden Sie auf allen Geräten abgemeldet. Falls Sie dies nicht angefordert haben, können Sie diese E-Mail ignorieren: Ihr Passwort bleibt unverändert.",

  "mail.recoverAccount.subject": "Ihr Konto bei {site} wiederherstellen",
  "mail.recoverAccount.intro":
    "Jemand (hoffentlich Sie) hat die Wiederherstellung Ihres Kontos bei {site} angefordert{where}. Öffnen Sie diesen Link, um einen neuen Passkey hinzuzufügen:",
  "mail.recoverAccount.outro":
    "{expires} Der Link öffnet eine kurze Sitzung, in der Sie nur einen Schlüssel hinzufügen können. Falls Sie dies nicht angefordert haben, können Sie diese E-Mail ignorieren.",

  "mail.resetWithoutPassword.subject": "Zu Ihrem Passwort für {site}",
  "mail.resetWithoutPassword.intro":
    "Jemand (hoffentlich Sie) hat das Zurücksetzen des Passworts für Ihr Konto bei {site} angefordert, aber Ihr Konto hat kein Passwort: Sie melden sich mit einem Passkey an.",
  "mail.resetWithoutPassword.recover":
    "Passkey verloren? Hier können Sie Ihr Konto wiederherstellen: {link}",

  "mail.recoverWithPassword.subject": "Zur Wiederherstellung Ihres Kontos bei {site}",
  "mail.recoverWithPassword.intro":
    "Jemand (hoffentlich Sie) hat die Wiederherstellung Ihres Kontos bei {site} angefordert. Da Ihr Konto ein Passwort hat, setzen Sie stattdessen Ihr Passwort zurück: {link}",

  "mail.emailTaken.subject": "Ihre E-Mail-Adresse und {site}",
  "mail.emailTaken.intro":
    "Jemand, der bei {site} angemeldet ist, wollte die E-Mail-Adresse seines Kontos in {email} ändern. Da es bereits ein Konto mit dieser Adresse gibt, wurde nichts geändert.",

  "mail.emailChangeRequested.subject": "Änderung Ihrer E-Mail-Adresse bei {site} angefordert",
  "mail.emailChangeRequested.intro":
    "Jemand, der in Ihrem Konto bei {site} angemeldet ist{where}, hat angefordert, die E-Mail-Adresse des Kontos von {email} in {newEmail} zu ändern. Die Änderung wird wirksam, sobald die neue Adresse bestätigt ist.",

  "mail.emailChanged.subject": "Ihre E-Mail-Adresse bei {site} wurde geändert",
  "mail.emailChanged.intro":
    "Die E-Mail-Adresse Ihres Kontos bei {site} wurde von {email} in {newEmail} geändert{where}. E-Mails zu Ihrem Konto gehen ab jetzt an diese Adresse.",

  "mail.passwordReset.subject": "Ihr Passwort für {site} wurde zurückgesetzt",
  "mail.passwordReset.intro":
    "Das Passwort Ihres Kontos bei {site} wurde über einen per E-Mail gesendeten Link zurückgesetzt{where}. Alle Sitzungen wurden beendet.",

  "mail.passwordChanged.subject": "Ihr Passwort für {site} wurde geändert",
  "mail.passwordChanged.intro":
    "Das Passwort Ihres Kontos bei {site} wurde geändert{where}. Ihre anderen Sitzungen wurden beendet.",

  "mail.accountRecovered.subject": "Ihr Konto bei {site} wurde wiederhergestellt",
  "mail.accountRecovered.intro":
    "Ihr Konto bei {site} wurde über einen per E-Mail gesendeten Link wiederhergestellt{where}: Dabei wurde eine kurze Sitzung geöffnet, in der ein neuer Passkey hinzugefügt werden kann.",

  "mail.unconfirmedHolderRemoved.subject": "Ihr Konto bei {site} wurde bereinigt",
  "mail.unconfirmedHolderRemoved.intro":
    "Ihr Konto bei {site} wurde mit {email} erstellt, bevor diese Adresse bestätigt war. Es wurde soeben über einen an diese Adresse gesendeten Link oder Anmeldecode übernommen{where}. Deshalb wurde alles entfernt, was vorher hinzugefügt worden war, ob von Ihnen oder von der Person, die das Konto erstellt hat: {removed}.",
  "mail.unconfirmedHolderRemoved.outro":
    "Fügen Sie die gewünschten Passkeys und zweiten Faktoren erneut hinzu. Falls Sie den Link nicht angefordert haben, setzen Sie jetzt Ihr Passwort zurück oder stellen Sie Ihr Konto wieder her.",
  "mail.removed.password": "das Passwort",
  "mail.removed.keys": "{count, plural, one {# Passkey} other {# Passkeys}}",
  "mail.removed.totp": "die Authenticator-App",
  "mail.removed.sms": "die Telefonnummer für Codes",
  "mail.removed.email": "Codes per E-Mail",
  "mail.removed.recoveryCodes":
    "{count, plural, one {# Wiederherstellungscode} other {# Wiederherstellungscodes}}",
  "mail.removed.sessions": "{count, plural, one {# Sitzung} other {# Sitzungen}} (beendet)",
  "mail.removed.nothing": "nichts",

  "mail.accessReset.subject": "Ihre Anmeldung bei {site} wurde zurückgesetzt",
  "mail.accessReset.intro":
    "Ein Administrator von {site} hat die Anmeldemethoden Ihres Kontos zurückgesetzt: Passkeys, zweite Faktoren, Wiederherstellungscodes und Passwort wurden entfernt, und alle Sitzungen wurden beendet.",
  "mail.accessReset.password": "Öffnen Sie diesen Link, um ein neues Passwort festzulegen:",
  "mail.accessReset.passkey": "Öffnen Sie diesen Link, um einen neuen Passkey hinzuzufügen:",
  "mail.accessReset.outro":
    "{expires} Richten Sie danach Ihre zweiten Faktoren erneut ein. Falls Sie damit nicht gerechnet haben, wenden Sie sich an {site}.",

  "mail.code.subject": "Ihr Code für {site}: {code}",
  "mail.code.text":
    "Ihr Code für {site} lautet {code}. Er läuft in {minutes, plural, one {# Minute} other {# Minuten}} ab. Geben Sie ihn nicht weiter.",
  "mail.code.notYou": "Falls Sie nicht versucht haben, sich anzumelden, ändern Sie Ihr Passwort.",
  "sms.code":
    "Ihr Code für {site} lautet {code}. Er läuft in {minutes, plural, one {# Minute} other {# Minuten}} ab. Geben Sie ihn nicht weiter.",

  "warning.ONLY_PLATFORM_FACTOR":
    "Ihr einziger zweiter Faktor ist ein Schlüssel, der an ein Gerät gebunden ist. Fügen Sie eine Authenticator-App, ein Telefon oder einen Sicherheitsschlüssel hinzu, damit Sie nicht aus Ihrem Konto ausgesperrt werden, wenn Sie dieses Gerät verlieren.",
  "warning.NO_RECOVERY_CODES":
    "Sie haben keine Wiederherstellungscodes. Erstellen Sie welche und bewahren Sie sie an einem sicheren Ort auf.",

  "device.browserOnOs": "{browser} unter {os}",
} as const;

/**
 * German catalogue: every key of the English pages' catalogue (views/messages.ts, its
 * `error.` and `client.` keys included) and `api.<CODE>` for each error the JSON API sends.
 * Formal address ("Sie"), as big platforms use for account UI in German. Terms, used the same
 * everywhere: Passkey, Sicherheitsschlüssel, Schlüssel (either of them), anmelden / abmelden,
 * zweiter Faktor, Bestätigung in zwei Schritten, Wiederherstellungscode, Authenticator-App,
 * Identität bestätigen, E-Mail-Adresse, Sitzung.
 */
export const de = {
  lang: "de",
  "site.skip": "Zum Inhalt springen",
  "site.signedInAs": "Angemeldet als {email}",
  "site.signOut": "Abmelden",
  "site.security": "Sicherheit",
  "site.needsWebauthn":
    "Für Passkeys und Sicherheitsschlüssel sind JavaScript und ein Browser erforderlich, der sie unterstützt.",

  "field.email": "E-Mail-Adresse",
  "field.username": "Benutzername",
  "field.usernameHint": "Buchstaben, Ziffern, Punkt, Bindestrich und Unterstrich.",
  "field.identity": "E-Mail-Adresse oder Benutzername",
  "field.password": "Passwort",
  "field.newPassword": "Passwort",
  "field.passwordHint": "Mindestens {min} Zeichen.",
  "field.passwordOptionalHint":
    "Optional: Lassen Sie das Feld leer, um sich nur mit einem Passkey anzumelden. Wenn Sie eines festlegen, mindestens {min} Zeichen.",
  "field.code": "Code",
  "field.phone": "Telefonnummer",
  "field.optional": "optional",

  "login.title": "Anmelden",
  "login.intro": "Willkommen zurück.",
  "login.passkey": "Mit Passkey anmelden",
  "login.or": "oder",
  "login.submit": "Mit Passwort anmelden",
  "login.forgotPassword": "Passwort vergessen?",
  "login.lostPasskey": "Passkey verloren?",
  "login.noPasskey":
    "Kein Passkey für diese Website auf diesem Gerät? Melden Sie sich unten mit Ihrer E-Mail-Adresse oder Ihrem Benutzernamen und Ihrem Passwort an oder verwenden Sie einen Passkey auf einem anderen Gerät (einem Smartphone, einem Sicherheitsschlüssel).",
  "login.noPasskeyRecover": "Passkey verloren? Konto wiederherstellen",
  "login.noAccount": "Neu hier?",
  "login.signUp": "Konto erstellen",
  "login.remember": "In diesem Browser angemeldet bleiben",
  "login.codeEmail": "Anmeldecode per E-Mail senden",
  "login.codeSms": "Anmeldecode per SMS senden",

  "code.title": "Anmeldecode eingeben",
  "code.introEmail":
    "Falls zu Ihrer Eingabe ein Konto existiert, haben wir einen Code an dessen E-Mail-Adresse gesendet. Geben Sie ihn unten ein.",
  "code.introSms":
    "Falls zu Ihrer Eingabe ein Konto mit Telefonnummer existiert, haben wir per SMS einen Code an diese Nummer gesendet. Geben Sie ihn unten ein.",
  "code.submit": "Anmelden",
  "code.again": "Neuen Code anfordern",

  "register.title": "Konto erstellen",
  "register.submit": "Konto erstellen",
  "register.haveAccount": "Sie haben bereits ein Konto?",
  "register.signIn": "Anmelden",
  "register.passkeyTitle": "Passkey hinzufügen",
  "register.passkeyIntro":
    "Ihr Konto hat kein Passwort, deshalb melden Sie sich beim nächsten Mal mit einem Passkey an. Fügen Sie ihn jetzt hinzu: Ohne Passkey können Sie sich nach dem Ende dieser Sitzung nicht wieder anmelden.",
  "register.passkeySubmit": "Passkey hinzufügen",
  "register.passkeyNeedsJs":
    "Dieser Browser kann hier keinen Passkey erstellen. Legen Sie stattdessen ein Passwort fest, damit Sie sich wieder anmelden können.",
  "register.passkeyInstead": "Lieber ein Passwort verwenden?",
  "register.passkeySetPassword": "Passwort festlegen",

  "verify.title": "Identität bestätigen",
  "verify.intro":
    "Bestätigen Sie zu Ihrer Sicherheit Ihre Identität, bevor Sie ändern, wie Sie sich anmelden.",
  "verify.key": "Passkey oder Sicherheitsschlüssel verwenden",
  "verify.password": "Passwort",
  "verify.passwordOnly": "Passwort eingeben",
  "verify.submit": "Bestätigen",
  "verify.cancel": "Abbrechen",
  "verify.reauthIntro":
    "Für diese Aktion ist Ihre Anmeldung abgelaufen. Bestätigen Sie Ihre Identität mit Ihrem Passkey oder melden Sie sich erneut an.",
  "verify.reauthKey": "Passkey verwenden",
  "verify.signInAgain": "Erneut anmelden",

  "tf.title": "Bestätigung in zwei Schritten",
  "tf.intro": "Sie sind fast angemeldet. Bestätigen Sie Ihre Identität mit einem zweiten Schritt.",
  "tf.key": "Meinen Sicherheitsschlüssel verwenden",
  "tf.totp": "Code aus meiner Authenticator-App eingeben",
  "tf.sms": "Code per SMS an mein Telefon senden",
  "tf.email": "Code per E-Mail senden",
  "tf.recovery": "Wiederherstellungscode verwenden",
  "tf.restart": "Abbrechen und neu beginnen",
  "tf.codeTitle": "Code eingeben",
  "tf.codeTotp":
    "Öffnen Sie Ihre Authenticator-App und geben Sie den 6-stelligen Code ein, den sie für {site} anzeigt.",
  "tf.codeSms": "Wir haben Ihnen einen Code per SMS gesendet. Geben Sie ihn unten ein.",
  "tf.codeEmail": "Wir haben Ihnen einen Code per E-Mail gesendet. Geben Sie ihn unten ein.",
  "tf.codeRecovery":
    "Geben Sie einen der Wiederherstellungscodes ein, die Sie gespeichert haben. Jeder Code funktioniert nur einmal.",
  "tf.codeApp": "Geben Sie den Code ein für: {label}.",
  "tf.approvalTitle": "Anmeldung genehmigen",
  "tf.approvalIntro":
    "Wir haben um Ihre Genehmigung gebeten ({label}). Genehmigen Sie die Anmeldung dort und fahren Sie dann hier fort.",
  "tf.approvalContinue": "Ich habe genehmigt, weiter",
  "tf.approvalWaiting": "Warten auf Ihre Genehmigung\u2026",
  "tf.codeSubmit": "Bestätigen",
  "tf.otherWay": "Andere Methode wählen",
  "tf.remember":
    "{days, plural, one {In diesem Browser # Tag lang nicht mehr fragen} other {In diesem Browser # Tage lang nicht mehr fragen}}",
  "tf.remembered": "Weiter: Dieser Browser ist als vertrauenswürdig gespeichert",
  "tf.enrolTitle": "Bestätigung in zwei Schritten einrichten",
  "tf.enrolIntro":
    "Diese Website verlangt von allen nach dem ersten Schritt einen zweiten. Wählen Sie, wie Sie Ihre Identität bestätigen möchten, und richten Sie es ein. Danach sind Sie angemeldet.",
  "tf.enrolTotp": "Authenticator-App einrichten",
  "tf.enrolSms": "Code per SMS an mein Telefon senden",
  "tf.enrolEmail": "Code per E-Mail senden",
  "tf.enrolKey": "Einen Sicherheitsschlüssel verwenden",
  "tf.enrolNone":
    "Diese Website verlangt von allen einen zweiten Schritt, aber während der Anmeldung lässt sich keiner einrichten. Bitten Sie den Administrator der Website um Hilfe.",
  "setupCode.title": "Gesendeten Code eingeben",
  "setupCode.sms":
    "Wir haben per SMS einen Code an {to} gesendet. Geben Sie ihn ein, um diese Methode zu aktivieren.",
  "setupCode.email":
    "Wir haben einen Code an {to} gesendet. Geben Sie ihn ein, um diese Methode zu aktivieren.",

  "account.title": "Anmeldung und Sicherheit",
  "account.keys": "Passkeys und Sicherheitsschlüssel",
  "account.keysIntro":
    "Mit Passkeys melden Sie sich ohne Passwort an. Mit Sicherheitsschlüsseln bestätigen Sie nach Ihrem Passwort Ihre Identität.",
  "account.keysPasskeys": "Passkeys",
  "account.keysPasskeysIntro": "Mit Passkeys melden Sie sich ohne Passwort an.",
  "account.keysSecurityKeys": "Sicherheitsschlüssel",
  "account.keysSecurityKeysIntro":
    "Mit Sicherheitsschlüsseln bestätigen Sie nach Ihrem Passwort Ihre Identität.",
  "account.noKeys": "Sie haben noch keine Passkeys oder Sicherheitsschlüssel.",
  "account.usage.first": "Passkey",
  "account.usage.secondary": "Zweiter Faktor",
  "account.synced": "Synchronisiert",
  "account.deviceBound": "Nur auf diesem Gerät",
  "account.syncedHint":
    "In einem Passwortmanager oder Cloud-Konto gesichert: Ihre anderen Geräte haben den Schlüssel auch",
  "account.deviceBoundHint":
    "Nur auf diesem Authentifikator gespeichert: Der Schlüssel kann nicht gesichert werden",
  "account.notBackedUp": "Nicht gesichert",
  "account.createdBy": "Hinzugefügt von",
  "account.createdByUpgrade":
    "Ihrem Passwortmanager, als Sie sich mit Ihrem Passwort angemeldet haben",
  "account.notBackedUpHint":
    "Kann synchronisiert werden, ist aber derzeit nicht gesichert: Aktivieren Sie die Synchronisierung in Ihrem Passwortmanager",
  "account.onlyUnbackedKey":
    "Sie melden sich nur mit einem Passkey an, der nicht gesichert ist. Wenn Sie dieses Gerät verlieren, kommen Sie nur noch über die Kontowiederherstellung in Ihr Konto: Fügen Sie einen weiteren Passkey oder ein Passwort hinzu.",
  "account.authenticator": "Authentifikator",
  "account.unknownAuthenticator": "Unbekannter Authentifikator",
  "account.authPlatform": "In ein Gerät integriert (Displaysperre)",
  "account.authHybrid": "Ein Smartphone oder Tablet",
  "account.authRoaming": "Sicherheitsschlüssel",
  "account.added": "Hinzugefügt",
  "account.lastUsed": "Zuletzt verwendet",
  "account.neverUsed": "Nie",
  "account.rename": "Umbenennen",
  "account.renameLabel": "Neuer Name für {name}",
  "account.renameSubmit": "Namen speichern",
  "account.delete": "Löschen",
  "account.deleteLabel": "{name} löschen",
  "account.deleteConfirm":
    "{name} löschen? Sie können diesen Schlüssel hier dann nicht mehr verwenden.",
  "account.deleteLastSignIn":
    "{name} löschen? Dies ist Ihre einzige Anmeldemethode: Ohne Passwort und ohne weiteren Passkey können Sie sich nicht wieder anmelden (nur die Kontowiederherstellung per E-Mail bleibt).",
  "account.deleteLastSignInCheck":
    "Mir ist bewusst, dass ich mich ohne diesen Schlüssel nicht mehr anmelden kann",
  "account.deleteOnlySecondFactor":
    "{name} löschen? Dies ist Ihr einziger zweiter Faktor: Die Bestätigung in zwei Schritten wird deaktiviert und Ihre Wiederherstellungscodes funktionieren nicht mehr.",
  "account.platformSecondWarning":
    "Ein an dieses Gerät gebundener Schlüssel geht mit dem Gerät verloren. Als einziger zweiter Faktor könnte er Sie aus Ihrem Konto aussperren: Wählen Sie einen Sicherheitsschlüssel oder ein anderes Gerät oder richten Sie zusätzlich eine Authenticator-App ein.",
  "account.signIn.none":
    "Sie können sich nicht wieder anmelden: Sie haben weder ein Passwort noch einen Passkey. Fügen Sie einen Passkey hinzu oder legen Sie ein Passwort fest, bevor diese Sitzung endet.",
  "account.signIn.password": "Sie melden sich mit Ihrem Passwort an.",
  "account.signIn.passkey": "Sie melden sich mit Ihrem Passkey an.",
  "account.signIn.passkeys":
    "{count, plural, one {Sie melden sich mit Ihrem Passkey an.} other {Sie melden sich mit einem Ihrer # Passkeys an.}}",
  "account.signIn.both": "Sie melden sich mit Ihrem Passwort oder einem Passkey an.",
  "account.flagged":
    "Achtung: Der Zähler dieses Schlüssels ist zurückgesprungen. Der Schlüssel wurde möglicherweise kopiert.",
  "account.add": "Schlüssel hinzufügen",
  "account.keyName": "Name",
  "account.keyNameHint":
    "Damit Sie Ihre Schlüssel unterscheiden können, z. B. \u201eArbeitslaptop\u201c. Bleibt das Feld leer, wird der Schlüssel nach seinem Authentifikator benannt.",
  "account.usage": "Verwendung",
  "account.usageFirst": "Ohne Passwort anmelden (Passkey)",
  "account.usageSecondary": "Nach meinem Passwort meine Identität bestätigen (zweiter Faktor)",
  "account.where": "Wo befindet sich der Schlüssel?",
  "account.wherePlatform": "Auf diesem Gerät (Fingerabdruck, Gesichtserkennung oder Displaysperre)",
  "account.whereCrossPlatform": "Ein Sicherheitsschlüssel (USB, NFC oder Bluetooth)",
  "account.whereHybrid": "Ein Smartphone oder Tablet (QR-Code scannen)",
  "account.addSubmit": "Schlüssel hinzufügen",
  "account.addNeedsJs":
    "Zum Hinzufügen eines Schlüssels sind JavaScript und ein Browser mit Passkey-Unterstützung erforderlich.",
  "account.twoFactor": "Bestätigung in zwei Schritten",
  "account.twoFactorOn":
    "Aktiviert: Nach Ihrem Passwort bestätigen Sie Ihre Identität mit {methods}.",
  "account.twoFactorOff": "Deaktiviert: Die Anmeldung erfordert keinen zweiten Schritt.",
  "account.method.webauthn": "einem Sicherheitsschlüssel",
  "account.method.totp": "einer Authenticator-App",
  "account.method.sms": "einer SMS",
  "account.method.email": "einem Code per E-Mail",
  "account.method.recovery": "einem Wiederherstellungscode",
  "account.totp": "Authenticator-App",
  "account.totpOn": "Eingerichtet: Bei der Anmeldung wird ein Code aus Ihrer App abgefragt.",
  "account.totpOff":
    "Verwenden Sie für Codes eine App wie Google Authenticator, 1Password oder Aegis.",
  "account.totpSetup": "Authenticator-App einrichten",
  "account.totpReplace": "Authenticator-App ersetzen",
  "account.totpTurnOff": "Deaktivieren",
  "account.totpOffConfirm": "Codes aus Ihrer Authenticator-App deaktivieren?",
  "account.recovery": "Wiederherstellungscodes",
  "account.recoveryIntro":
    "Mit Wiederherstellungscodes kommen Sie in Ihr Konto, wenn Sie Ihren zweiten Faktor verlieren. Jeder Code funktioniert nur einmal.",
  "account.recoveryLeft": "Unbenutzte Codes: {count}.",
  "account.recoveryGenerate": "Neue Wiederherstellungscodes erstellen",
  "account.recoveryConfirm":
    "Neue Wiederherstellungscodes erstellen? Ihre bisherigen Codes funktionieren dann nicht mehr.",
  "account.details": "E-Mail-Adresse, Passwort und Sitzungen",
  "account.email": "E-Mail-Adresse",
  "account.changeEmail": "E-Mail-Adresse ändern",
  "account.password": "Passwort",
  "account.passwordOn": "Festgelegt: Sie können sich damit anmelden.",
  "account.passwordOff": "Nicht festgelegt.",
  "account.changePassword": "Passwort ändern",
  "account.setPassword": "Passwort festlegen",
  "account.sessions": "Sitzungen",
  "account.sessionsIntro": "Geräte, die in Ihrem Konto angemeldet sind.",
  "account.sessionsLink": "Anzeigen, wo Sie angemeldet sind",
  "account.thisSession": "Diese Sitzung: angemeldet mit {methods}.",
  "account.stale":
    "Zum Hinzufügen, Umbenennen oder Löschen von Schlüsseln ist eine aktuelle Anmeldung erforderlich. Bestätigen Sie zuerst Ihre Identität.",
  "account.staleAction": "Identität bestätigen",

  "totp.title": "Authenticator-App einrichten",
  "totp.step1": "Scannen Sie diesen QR-Code mit Ihrer Authenticator-App.",
  "totp.manual": "Scannen nicht möglich? Geben Sie stattdessen diesen Einrichtungsschlüssel ein:",
  "totp.step2": "Geben Sie zum Abschließen den 6-stelligen Code ein, den die App anzeigt.",
  "totp.submit": "Aktivieren",
  "totp.qrAlt": "QR-Code, um {site} zu einer Authenticator-App hinzuzufügen",

  "recovery.title": "Ihre Wiederherstellungscodes",
  "recovery.intro":
    "Bewahren Sie diese Codes an einem sicheren Ort auf. Sie werden nur einmal angezeigt, und jeder Code funktioniert nur einmal. Ältere Codes sind nicht mehr gültig.",
  "recovery.copy": "Codes kopieren",
  "recovery.copied": "Kopiert.",
  "recovery.download": "Als Textdatei herunterladen",
  "recovery.done": "Ich habe sie gespeichert",
  "recovery.fileHeader":
    "Wiederherstellungscodes für {site} ({email}). Jeder Code funktioniert nur einmal.",

  "reset.title": "Passwort zurücksetzen",
  "reset.intro":
    "Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir senden Ihnen dann einen Link, über den Sie ein neues Passwort festlegen können.",
  "reset.submit": "Link senden",
  "reset.sent":
    "Falls ein Konto diese Adresse verwendet, ist ein Link unterwegs. Prüfen Sie Ihren Posteingang (und den Spamordner). Der Link funktioniert nur einmal und läuft bald ab.",
  "reset.newTitle": "Neues Passwort festlegen",
  "reset.newIntro": "Wenn Sie Ihr Passwort zurücksetzen, werden Sie auf allen Geräten abgemeldet.",
  "reset.newSubmit": "Speichern und anmelden",
  "reset.lostKey": "Sie melden sich mit einem Passkey an und haben ihn verloren?",
  "reset.recover": "Konto wiederherstellen",

  "recover.title": "Konto wiederherstellen",
  "recover.intro":
    "Sie haben das Gerät mit Ihrem Passkey verloren? Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir senden Ihnen dann einen Link, über den Sie einen neuen Passkey hinzufügen können.",
  "recover.submit": "Link senden",
  "recover.sent":
    "Falls ein Konto diese Adresse verwendet, ist ein Link unterwegs. Prüfen Sie Ihren Posteingang (und den Spamordner). Der Link funktioniert nur einmal und läuft bald ab.",
  "recover.landingTitle": "Neuen Passkey hinzufügen",
  "recover.landingIntro":
    "Dieser Link öffnet eine kurze Sitzung, in der Sie Ihrem Konto nur einen neuen Passkey hinzufügen können. Danach melden Sie sich mit diesem Passkey an.",
  "recover.code": "Wiederherstellungscode",
  "recover.codeHint":
    "Für Ihr Konto ist die Bestätigung in zwei Schritten aktiviert: Geben Sie einen der Wiederherstellungscodes ein, die Sie gespeichert haben.",
  "recover.continue": "Weiter",
  "recover.keyTitle": "Neuen Passkey hinzufügen",
  "recover.keyIntro":
    "Erstellen Sie einen Passkey auf diesem Gerät (oder verwenden Sie einen Sicherheitsschlüssel). Melden Sie sich dann damit an, um Ihr Konto zu nutzen.",
  "recover.keyName": "Name",
  "recover.keyNameHint":
    "Damit Sie Ihre Schlüssel unterscheiden können, z. B. \u201eNeues Smartphone\u201c.",
  "recover.keySubmit": "Passkey hinzufügen",
  "recover.needsJs":
    "Zum Hinzufügen eines Passkeys sind JavaScript und ein Browser mit Passkey-Unterstützung erforderlich.",
  "recover.noKeys":
    "Diese Website verwendet keine Passkeys oder Sicherheitsschlüssel, daher gibt es keinen Schlüssel, den Sie hinzufügen könnten. Setzen Sie stattdessen Ihr Passwort zurück.",
  "recover.usePassword": "Ihr Konto hat ein Passwort?",
  "recover.reset": "Passwort zurücksetzen",

  "confirm.title": "E-Mail-Adresse bestätigen",
  "confirm.intro": "Bestätigen Sie, dass dies Ihre E-Mail-Adresse ist.",
  "confirm.submit": "Meine E-Mail-Adresse bestätigen",
  "confirm.sent":
    "Wir haben Ihnen einen Bestätigungslink gesendet. Öffnen Sie ihn, um Ihre E-Mail-Adresse zu bestätigen.",
  "confirm.done": "Vielen Dank, Ihre E-Mail-Adresse ist bestätigt.",
  "confirm.resendIntro":
    "Sie haben den Link nicht erhalten oder er ist abgelaufen? Wir können Ihnen einen neuen senden.",
  "confirm.resend": "Neuen Link senden",
  "confirm.continue": "Weiter",

  "password.title": "Passwort ändern",
  "password.setTitle": "Passwort festlegen",
  "password.intro":
    "Wenn Sie Ihr Passwort ändern, werden Sie auf Ihren anderen Geräten abgemeldet.",
  "password.current": "Aktuelles Passwort",
  "password.currentHint":
    "Oder bestätigen Sie zuerst Ihre Identität und lassen Sie dieses Feld dann leer.",
  "password.new": "Neues Passwort",
  "password.submit": "Passwort ändern",
  "password.setSubmit": "Passwort festlegen",
  "password.changed": "Ihr Passwort wurde geändert. Ihre anderen Sitzungen wurden beendet.",
  "password.stale":
    "Zum Festlegen eines Passworts ist eine aktuelle Anmeldung erforderlich. Bestätigen Sie zuerst Ihre Identität.",

  "email.title": "E-Mail-Adresse ändern",
  "email.intro":
    "Ihre E-Mail-Adresse ist {email}. Wir senden einen Link an die neue Adresse; die Änderung wird wirksam, sobald Sie ihn öffnen.",
  "email.new": "Neue E-Mail-Adresse",
  "email.submit": "Link senden",
  "email.sent":
    "Prüfen Sie den Posteingang der neuen Adresse auf einen Link, um sie zu bestätigen. Ihre bisherige Adresse wurde ebenfalls benachrichtigt.",
  "email.confirmTitle": "Neue E-Mail-Adresse bestätigen",
  "email.confirmIntro": "Diese Adresse ab jetzt für Ihr Konto verwenden?",
  "email.confirmSubmit": "Neue Adresse bestätigen",
  "email.changed": "Ihre E-Mail-Adresse wurde geändert.",
  "email.stale":
    "Zum Ändern Ihrer E-Mail-Adresse ist eine aktuelle Anmeldung erforderlich. Bestätigen Sie zuerst Ihre Identität.",

  "sessions.title": "Wo Sie angemeldet sind",
  "sessions.intro":
    "Diese Geräte sind in Ihrem Konto angemeldet. Melden Sie alle ab, die Sie nicht kennen.",
  "sessions.current": "Dieses Gerät",
  "sessions.unknownDevice": "Unbekanntes Gerät",
  "sessions.lastSeen": "Zuletzt aktiv",
  "sessions.signedIn": "Angemeldet",
  "sessions.ip": "IP-Adresse",
  "sessions.method": "Angemeldet mit",
  "sessions.recovery": "Wiederherstellungssitzung",
  "sessions.revoke": "Abmelden",
  "sessions.revoked": "Die Sitzung wurde beendet.",
  "sessions.everywhere": "Überall abmelden",
  "sessions.everywhereIntro": "Beendet alle Sitzungen, auch diese.",
  "sessions.everywhereConfirm": "Auf allen Geräten abmelden, auch auf diesem?",
  "sessions.stale":
    "Zum Abmelden anderer Geräte ist eine aktuelle Anmeldung erforderlich. Bestätigen Sie zuerst Ihre Identität.",

  "amr.password": "Passwort",
  "amr.passkeyVerified": "Passkey mit Fingerabdruck oder PIN",
  "amr.passkey": "Passkey",
  "amr.securityKey": "Sicherheitsschlüssel",
  "amr.totp": "Code aus Authenticator-App",
  "amr.sms": "Code per SMS",
  "amr.email": "Link oder Code per E-Mail",
  "amr.recovery": "Wiederherstellungscode",
  "amr.remembered": "vertrauenswürdigem Browser",
  "amr.pin": "PIN",
  "amr.approval": "Genehmigung auf einem anderen Gerät",
  "amr.phone": "Telefonanruf",
  "amr.signUp": "Kontoerstellung",

  "common.confirmFirst": "Identität bestätigen",
  "common.back": "Zurück zu Ihrem Konto",
  "common.signIn": "Anmelden",

  "done.signedOut": "Sie haben sich abgemeldet.",
  "done.welcome":
    "Ihr Konto ist bereit. Fügen Sie einen Passkey hinzu, um sich beim nächsten Mal ohne Passwort anzumelden.",
  "done.keyAdded": "Schlüssel hinzugefügt.",
  "done.keyRenamed": "Schlüssel umbenannt.",
  "done.keyDeleted": "Schlüssel gelöscht.",
  "done.keyDeletedTwoFactorOff":
    "Schlüssel gelöscht. Er war Ihr einziger zweiter Faktor, daher ist die Bestätigung in zwei Schritten jetzt deaktiviert und Ihre Wiederherstellungscodes funktionieren nicht mehr.",
  "done.passkeyAdded": "Ihr Passkey wurde hinzugefügt. Melden Sie sich beim nächsten Mal damit an.",
  "done.passkeyUpgraded":
    "Ihr Passwortmanager hat einen Passkey für dieses Konto gespeichert. Melden Sie sich beim nächsten Mal damit an.",
  "done.keyDeletedSignedOut":
    "Schlüssel gelöscht. Sie hatten sich damit angemeldet und wurden deshalb abgemeldet: Melden Sie sich auf andere Weise an.",
  "done.factorRemovedSignedOut":
    "Zweiter Faktor entfernt. Sie hatten sich damit angemeldet und wurden deshalb abgemeldet: Melden Sie sich erneut an.",
  "done.verified": "Vielen Dank, Ihre Identität ist bestätigt.",
  "done.twoFactorOn": "Die Bestätigung in zwei Schritten ist aktiviert.",
  "done.pendingExpired": "Diese Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.",
  "done.stepExpired": "Das hat zu lange gedauert. Bitte versuchen Sie es noch einmal.",
  "done.recovered":
    "Ihr neuer Schlüssel wurde hinzugefügt. Melden Sie sich damit an, um Ihr Konto zu nutzen.",

  "error.INVALID_INPUT": "Prüfen Sie Ihre Eingabe: {detail}",
  "error.INVALID_CREDENTIALS": "E-Mail-Adresse, Benutzername oder Passwort ist falsch.",
  "error.EMAIL_TAKEN":
    "Es gibt bereits ein Konto mit dieser E-Mail-Adresse. Möchten Sie sich stattdessen anmelden?",
  "error.USERNAME_TAKEN": "Dieser Benutzername ist bereits vergeben. Wählen Sie einen anderen.",
  "error.PASSWORD_REQUIRED": "Legen Sie ein Passwort fest.",
  "error.PASSWORD_TOO_SHORT": "Das Passwort muss mindestens {min} Zeichen lang sein.",
  "error.PASSWORD_NOT_SET":
    "Dieses Konto hat kein Passwort. Verwenden Sie einen Passkey oder Sicherheitsschlüssel.",
  "error.CSRF_FAILED": "Dieses Formular ist abgelaufen. Bitte versuchen Sie es noch einmal.",
  "error.FRESHNESS_REQUIRED":
    "Bestätigen Sie zu Ihrer Sicherheit zuerst Ihre Identität und versuchen Sie es dann noch einmal.",
  "error.RATE_LIMITED":
    "Zu viele Versuche. Warten Sie einen Moment und versuchen Sie es dann noch einmal.",
  "error.STATE_INVALID":
    "Dieser Schritt ist abgelaufen oder wurde bereits verwendet. Bitte beginnen Sie von vorn.",
  "error.STATE_EXPIRED": "Dieser Schritt ist abgelaufen. Bitte beginnen Sie von vorn.",
  "error.ACCOUNT_INACTIVE": "Dieses Konto ist deaktiviert.",
  "error.ACCOUNT_LOCKED":
    "Dieses Konto ist gesperrt. Versuchen Sie es später noch einmal oder bitten Sie den Administrator der Website, es zu entsperren.",
  "error.WEBAUTHN_NAME_TAKEN":
    "Sie haben bereits einen Schlüssel mit diesem Namen. Wählen Sie einen anderen Namen.",
  "error.WEBAUTHN_KEY_LIMIT":
    "Ihr Konto hat bereits so viele Schlüssel, wie hier erlaubt sind. Entfernen Sie zuerst einen, den Sie nicht mehr verwenden.",
  "error.WEBAUTHN_NAME_INVALID": "Geben Sie dem Schlüssel einen Namen mit höchstens {max} Zeichen.",
  "error.WEBAUTHN_CREDENTIAL_NOT_FOUND": "Dieser Schlüssel existiert nicht mehr.",
  "error.WEBAUTHN_BACKUP_ELIGIBILITY_CHANGED":
    "Dieser Schlüssel stimmt nicht mehr mit dem überein, den Sie registriert haben. Verwenden Sie einen anderen Schlüssel oder melden Sie sich auf andere Weise an.",
  "error.AAL_REQUIRED": "Melden Sie sich zuerst mit Ihrem zweiten Faktor an, um dies zu ändern.",
  "error.REAUTHENTICATION_REQUIRED":
    "Ihre letzte Identitätsbestätigung liegt schon eine Weile zurück. Bestätigen Sie Ihre Identität mit Ihrem Passkey oder melden Sie sich erneut an.",
  "error.TWO_FACTOR_CODE_INVALID":
    "Dieser Code ist falsch. Prüfen Sie ihn und versuchen Sie es noch einmal.",
  "error.TWO_FACTOR_CODE_USED": "Dieser Code wurde bereits verwendet. Warten Sie auf den nächsten.",
  "error.TWO_FACTOR_CODE_EXPIRED": "Dieser Code ist abgelaufen. Fordern Sie einen neuen an.",
  "error.TWO_FACTOR_APPROVAL_PENDING":
    "Wir haben Ihre Genehmigung noch nicht erhalten. Genehmigen Sie die Anmeldung und fahren Sie dann fort.",
  "error.TWO_FACTOR_DENIED": "Die Anmeldung wurde nicht genehmigt.",
  "error.TWO_FACTOR_DEVICE_NOT_REMEMBERED":
    "Dieser Browser ist nicht mehr als vertrauenswürdig gespeichert. Wählen Sie eine andere Methode, um Ihre Identität zu bestätigen.",
  "error.RECOVERY_CODE_INVALID":
    "Dieser Wiederherstellungscode ist falsch oder wurde bereits verwendet.",
  "error.RECOVERY_CODE_REQUIRED": "Geben Sie zusätzlich einen Ihrer Wiederherstellungscodes ein.",
  "error.TOKEN_INVALID":
    "Dieser Link ist ungültig oder wurde bereits verwendet. Fordern Sie einen neuen an.",
  "error.TOKEN_EXPIRED": "Dieser Link ist abgelaufen. Fordern Sie einen neuen an.",
  "error.EMAIL_NOT_CONFIRMED":
    "Bestätigen Sie zuerst Ihre E-Mail-Adresse: Öffnen Sie den Link, den wir Ihnen gesendet haben.",
  "error.SESSION_LIMITED":
    "In dieser Wiederherstellungssitzung können Sie nur einen neuen Passkey hinzufügen.",
  "error.SESSION_NOT_FOUND": "Diese Sitzung wurde bereits beendet.",
  "error.LAST_SIGN_IN_METHOD":
    "Dies ist Ihre einzige Anmeldemethode. Fügen Sie zuerst einen weiteren Passkey hinzu oder legen Sie ein Passwort fest. Oder bestätigen Sie, dass Sie sie trotzdem entfernen möchten.",

  "client.unsupported":
    "Dieser Browser kann hier keine Passkeys oder Sicherheitsschlüssel verwenden. Wählen Sie eine andere Anmeldemethode.",
  "client.cancelled":
    "Es wurde nichts geändert: Die Anfrage wurde abgebrochen oder Ihr Gerät konnte Ihre Identität nicht bestätigen.",
  "client.timedOut":
    "Kein Schlüssel hat rechtzeitig reagiert. Prüfen Sie, ob Ihr Sicherheitsschlüssel verbunden oder Ihr Gerät entsperrt ist, und versuchen Sie es dann noch einmal.",
  "client.aborted": "Die Anfrage wurde abgebrochen.",
  "client.alreadyRegistered": "Dieser Schlüssel ist bereits für Ihr Konto registriert.",
  "client.security":
    "Die Adresse dieser Seite passt nicht zu den Passkey-Einstellungen der Website.",
  "client.notSupported":
    "Dieser Schlüssel kann hier nicht verwendet werden. Versuchen Sie es mit einem anderen Schlüssel oder Gerät.",
  "client.authenticator":
    "Ihr Schlüssel hat einen Fehler gemeldet. Versuchen Sie es noch einmal oder verwenden Sie einen anderen Schlüssel.",
  "client.network":
    "Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es noch einmal.",
  "client.unknownCredential":
    "Dieser Passkey ist hier nicht mehr registriert. Möglicherweise wurde er entfernt; melden Sie sich auf andere Weise an.",
  "client.freshness": "Bestätigen Sie zu Ihrer Sicherheit zuerst Ihre Identität.",
  "client.reauthenticate":
    "Ihre letzte Identitätsbestätigung liegt schon eine Weile zurück. Bestätigen Sie Ihre Identität mit Ihrem Passkey oder melden Sie sich erneut an.",
  "client.unauthenticated": "Sie sind abgemeldet. Melden Sie sich erneut an, um fortzufahren.",
  "client.stateExpired": "Das hat zu lange gedauert. Bitte versuchen Sie es noch einmal.",
  "client.nameTaken":
    "Sie haben bereits einen Schlüssel mit diesem Namen. Wählen Sie einen anderen Namen.",
  "client.credentialExists": "Dieser Schlüssel ist bereits registriert.",
  "client.usageNotAllowed": "Dieser Schlüssel kann hierfür nicht verwendet werden.",
  "client.rateLimited":
    "Zu viele Versuche. Warten Sie einen Moment und versuchen Sie es dann noch einmal.",
  "client.lastSignInMethod":
    "Dies ist Ihre einzige Anmeldemethode. Fügen Sie zuerst einen weiteren Passkey hinzu oder legen Sie ein Passwort fest. Oder bestätigen Sie, dass Sie sie trotzdem entfernen möchten.",
  "client.server": "Etwas ist schiefgelaufen. Bitte versuchen Sie es noch einmal.",
  "client.working": "Warten auf Ihren Schlüssel\u2026",
  "client.keyAdded": "Schlüssel hinzugefügt.",
  "client.passkeyUpgraded":
    "Ihr Passwortmanager hat einen Passkey für dieses Konto gespeichert. Melden Sie sich beim nächsten Mal damit an.",

  "api.INVALID_INPUT": "Prüfen Sie Ihre Angaben.",
  "api.MALFORMED_JSON": "Der Anfragetext ist kein gültiges JSON.",
  "api.UNSUPPORTED_MEDIA_TYPE":
    "Senden Sie application/json oder application/x-www-form-urlencoded.",
  "api.BODY_TOO_LARGE": "Der Anfragetext ist zu groß.",
  "api.INVALID_CREDENTIALS": "E-Mail-Adresse, Benutzername oder Passwort ist falsch.",
  "api.UNAUTHENTICATED": "Melden Sie sich zuerst an.",
  "api.BEARER_TOKEN_INVALID": "Dieses Token ist nicht mehr gültig; melden Sie sich erneut an.",
  "api.BEARER_TOKENS_DISABLED":
    "Dieser Server stellt keine Bearer-Tokens aus; verwenden Sie das Sitzungscookie.",
  "api.AAL_REQUIRED":
    "Dafür ist eine Sitzung mit höherer Vertrauensstufe erforderlich; melden Sie sich mit einem zweiten Faktor an.",
  "api.REAUTHENTICATION_REQUIRED":
    "Ihre letzte Identitätsbestätigung liegt schon eine Weile zurück: Bestätigen Sie Ihre Identität mit Ihrem Passkey oder melden Sie sich erneut an.",
  "api.FRESHNESS_REQUIRED":
    "Bestätigen Sie Ihre Identität erneut mit Ihrem Passwort oder einem Schlüssel und versuchen Sie es dann noch einmal.",
  "api.CSRF_FAILED": "Diese Anfrage wurde als websiteübergreifend abgelehnt.",
  "api.ACCOUNT_INACTIVE": "Dieses Konto ist deaktiviert.",
  "api.ACCOUNT_LOCKED":
    "Dieses Konto ist gesperrt. Versuchen Sie es später noch einmal oder bitten Sie den Administrator der Website, es zu entsperren.",
  "api.PASSWORD_NOT_SET": "Dieses Konto hat kein Passwort; verwenden Sie einen Schlüssel.",
  "api.EMAIL_TAKEN": "Es gibt bereits ein Konto mit dieser E-Mail-Adresse.",
  "api.USERNAME_TAKEN": "Dieser Benutzername ist bereits vergeben.",
  "api.PASSWORD_REQUIRED": "Ein Passwort ist erforderlich.",
  "api.PASSWORD_TOO_SHORT": "Das Passwort ist zu kurz.",
  "api.STATE_INVALID":
    "Diese Anfrage ist unbekannt oder wurde bereits verwendet; beginnen Sie von vorn.",
  "api.STATE_EXPIRED": "Diese Anfrage ist abgelaufen; beginnen Sie von vorn.",
  "api.WEBAUTHN_DISABLED": "Die Anmeldung mit einem Schlüssel ist deaktiviert.",
  "api.WEBAUTHN_VERIFICATION_FAILED": "Die Antwort des Schlüssels konnte nicht verifiziert werden.",
  "api.WEBAUTHN_UNKNOWN_CREDENTIAL": "Dieser Schlüssel ist hier nicht registriert.",
  "api.WEBAUTHN_CREDENTIAL_EXISTS": "Dieser Schlüssel ist bereits registriert.",
  "api.WEBAUTHN_USER_HANDLE_MISMATCH": "Der Schlüssel hat für ein anderes Konto geantwortet.",
  "api.WEBAUTHN_USAGE_NOT_ALLOWED": "Dieser Schlüssel kann hier nicht verwendet werden.",
  "api.WEBAUTHN_COUNTER_REGRESSION":
    "Der Signaturzähler dieses Schlüssels ist zurückgesprungen; der Schlüssel wurde möglicherweise geklont.",
  "api.WEBAUTHN_NAME_TAKEN": "Sie haben bereits einen Schlüssel mit diesem Namen.",
  "api.WEBAUTHN_KEY_LIMIT":
    "Dieses Konto hat bereits so viele Schlüssel, wie erlaubt sind; entfernen Sie zuerst einen.",
  "api.PASSKEY_UPGRADE_UNAVAILABLE":
    "Ein Passkey wird hier nicht automatisch angeboten; fügen Sie auf Ihrer Kontoseite einen hinzu.",
  "api.WEBAUTHN_NAME_INVALID": "Geben Sie dem Schlüssel einen Namen.",
  "api.WEBAUTHN_CREDENTIAL_NOT_FOUND": "Schlüssel nicht gefunden.",
  "api.WEBAUTHN_BACKUP_ELIGIBILITY_CHANGED":
    "Die Backup-Fähigkeit dieses Schlüssels ist nicht mehr dieselbe wie bei seiner Registrierung.",
  "api.TWO_FACTOR_CODE_INVALID": "Dieser Code ist falsch.",
  "api.TWO_FACTOR_CODE_USED": "Dieser Code wurde bereits verwendet; warten Sie auf den nächsten.",
  "api.TWO_FACTOR_CODE_EXPIRED": "Der Code ist abgelaufen; fordern Sie einen neuen an.",
  "api.TWO_FACTOR_NOT_ENROLLED": "Dieser zweite Faktor ist nicht eingerichtet.",
  "api.TWO_FACTOR_METHOD_NOT_AVAILABLE": "Dieser zweite Faktor ist hier nicht verfügbar.",
  "api.TWO_FACTOR_REQUIRED":
    "Jedes Konto benötigt hier einen zweiten Faktor; fügen Sie einen weiteren hinzu, bevor Sie diesen entfernen.",
  "api.TWO_FACTOR_DELIVERY_FAILED": "Der Code konnte nicht gesendet werden.",
  "api.TWO_FACTOR_APPROVAL_PENDING": "Warten auf Ihre Genehmigung.",
  "api.TWO_FACTOR_DENIED": "Die Anmeldung wurde nicht genehmigt.",
  "api.TWO_FACTOR_DEVICE_NOT_REMEMBERED":
    "Dieses Gerät ist nicht als vertrauenswürdig gespeichert; bestätigen Sie Ihre Identität mit einem zweiten Faktor.",
  "api.CODE_SIGNIN_DISABLED":
    "Die Anmeldung mit einem auf diesem Weg gesendeten Code wird hier nicht angeboten.",
  "api.CODE_SIGNIN_INVALID":
    "Dieser Code ist falsch oder nicht mehr gültig; fordern Sie einen neuen an.",
  "api.CODE_SIGNIN_NOT_ALLOWED":
    "Der zweite Faktor dieses Kontos ist dasselbe Postfach oder Telefon, an das der Code gesendet wurde; melden Sie sich mit Ihrem Passwort oder Passkey an.",
  "api.RECOVERY_CODE_INVALID":
    "Dieser Wiederherstellungscode ist falsch oder wurde bereits verwendet.",
  "api.ROAMING_FACTOR_REQUIRED":
    "Dies ist Ihr letzter zweiter Faktor, der auf jedem Gerät funktioniert; fügen Sie zuerst einen weiteren hinzu (eine Authenticator-App, ein Telefon oder einen Sicherheitsschlüssel).",
  "api.TOKEN_INVALID":
    "Dieser Link ist ungültig oder wurde bereits verwendet; fordern Sie einen neuen an.",
  "api.TOKEN_EXPIRED": "Dieser Link ist abgelaufen; fordern Sie einen neuen an.",
  "api.EMAIL_NOT_CONFIRMED":
    "Bestätigen Sie zuerst Ihre E-Mail-Adresse: Öffnen Sie den Link, den wir Ihnen gesendet haben, oder fordern Sie einen neuen an.",
  "api.RECOVERY_CODE_REQUIRED":
    "Für dieses Konto ist die Bestätigung in zwei Schritten aktiviert: Geben Sie zusätzlich einen Ihrer Wiederherstellungscodes ein.",
  "api.SESSION_LIMITED":
    "In dieser Wiederherstellungssitzung können Sie nur einen neuen Schlüssel registrieren; melden Sie sich damit an, um alles andere zu tun.",
  "api.SESSION_NOT_FOUND": "Sitzung nicht gefunden.",
  "api.LAST_SIGN_IN_METHOD":
    "Dies ist Ihre einzige Anmeldemethode. Fügen Sie zuerst einen weiteren Passkey hinzu oder legen Sie ein Passwort fest. Oder bestätigen Sie, dass Sie sie trotzdem entfernen möchten.",
  "api.USER_NOT_FOUND": "Konto nicht gefunden.",
  "api.RATE_LIMITED": "Zu viele Versuche; versuchen Sie es später noch einmal.",
  "api.NOT_FOUND": "Route nicht gefunden.",
  "api.STORE_UNAVAILABLE":
    "Der Authentifizierungsspeicher ist nicht verfügbar; versuchen Sie es noch einmal.",
  "api.INTERNAL": "Etwas ist schiefgelaufen; versuchen Sie es noch einmal.",
} as const;

/**
 * French catalogue: the pages' and browser script's texts (views/messages.ts, in its order) and,
 * under `api.`, what a JSON API error says to a person (core/errors.ts).
 *
 * Terms, the same everywhere: passkey = clé d'accès, security key = clé de sécurité, any key =
 * clé, sign in = se connecter / connexion, second factor = second facteur, two-step verification
 * = validation en deux étapes, recovery code = code de récupération, authenticator app =
 * application d'authentification, confirm it's you = confirmer votre identité. Formal "vous";
 * wording that needs no agreement with the reader's gender where it reads as naturally
 * ("connexion récente", not "vous êtes connecté").
 * French punctuation keeps a no-break space (\u00a0) before : ; ? ! and inside « », so a line
 * never starts with one.
 */
export const fr = {
  lang: "fr",
  "site.skip": "Aller au contenu",
  "site.signedInAs": "Connecté en tant que {email}",
  "site.signOut": "Se déconnecter",
  "site.security": "Sécurité",
  "site.needsWebauthn":
    "L'utilisation d'une clé d'accès ou d'une clé de sécurité nécessite JavaScript et un navigateur compatible.",

  "field.email": "Adresse e-mail",
  "field.username": "Nom d'utilisateur",
  "field.usernameHint": "Lettres, chiffres, point, tiret et trait de soulignement.",
  "field.identity": "Adresse e-mail ou nom d'utilisateur",
  "field.password": "Mot de passe",
  "field.newPassword": "Mot de passe",
  "field.passwordHint": "Au moins {min, plural, one {# caractère} other {# caractères}}.",
  "field.passwordOptionalHint":
    "Facultatif\u00a0: laissez ce champ vide pour vous connecter uniquement avec une clé d'accès. Si vous en définissez un, au moins {min, plural, one {# caractère} other {# caractères}}.",
  "field.code": "Code",
  "field.phone": "Numéro de téléphone",
  "field.optional": "facultatif",

  "login.title": "Connexion",
  "login.intro": "Bon retour parmi nous.",
  "login.passkey": "Se connecter avec une clé d'accès",
  "login.or": "ou",
  "login.submit": "Se connecter avec un mot de passe",
  "login.forgotPassword": "Mot de passe oublié\u00a0?",
  "login.lostPasskey": "Clé d'accès perdue\u00a0?",
  "login.noPasskey":
    "Pas de clé d'accès pour ce site sur cet appareil\u00a0? Connectez-vous ci-dessous avec votre adresse e-mail ou votre nom d'utilisateur et votre mot de passe, ou utilisez une clé d'accès sur un autre appareil (un téléphone, une clé de sécurité).",
  "login.noPasskeyRecover": "Clé d'accès perdue\u00a0? Récupérez votre compte",
  "login.noAccount": "Pas encore de compte\u00a0?",
  "login.signUp": "Créer un compte",
  "login.remember": "Se souvenir de moi sur ce navigateur",
  "login.codeEmail": "M'envoyer un code de connexion par e-mail",
  "login.codeSms": "M'envoyer un code de connexion par SMS",

  "code.title": "Saisissez votre code de connexion",
  "code.introEmail":
    "Si un compte correspond à ce que vous avez saisi, nous avons envoyé un code à son adresse e-mail. Saisissez-le ci-dessous.",
  "code.introSms":
    "Si un compte correspond à ce que vous avez saisi et possède un numéro de téléphone, nous avons envoyé un code par SMS à ce numéro. Saisissez-le ci-dessous.",
  "code.submit": "Se connecter",
  "code.again": "Demander un nouveau code",

  "register.title": "Créez votre compte",
  "register.submit": "Créer le compte",
  "register.haveAccount": "Vous avez déjà un compte\u00a0?",
  "register.signIn": "Se connecter",
  "register.passkeyTitle": "Ajoutez votre clé d'accès",
  "register.passkeyIntro":
    "Votre compte n'a pas de mot de passe\u00a0: c'est avec une clé d'accès que vous vous connecterez la prochaine fois. Ajoutez-la maintenant\u00a0; sans elle, vous ne pourrez plus vous connecter une fois cette session terminée.",
  "register.passkeySubmit": "Ajouter la clé d'accès",
  "register.passkeyNeedsJs":
    "Ce navigateur ne peut pas créer de clé d'accès ici. Définissez plutôt un mot de passe pour pouvoir vous reconnecter.",
  "register.passkeyInstead": "Vous préférez un mot de passe\u00a0?",
  "register.passkeySetPassword": "Définir un mot de passe",

  "verify.title": "Confirmez votre identité",
  "verify.intro":
    "Pour votre sécurité, confirmez votre identité avant de modifier vos modes de connexion.",
  "verify.key": "Utiliser une clé d'accès ou une clé de sécurité",
  "verify.password": "Mot de passe",
  "verify.passwordOnly": "Saisissez votre mot de passe",
  "verify.submit": "Confirmer",
  "verify.cancel": "Annuler",
  "verify.reauthIntro":
    "Votre connexion est trop ancienne pour cette action. Confirmez votre identité avec votre clé d'accès ou reconnectez-vous.",
  "verify.reauthKey": "Utiliser votre clé d'accès",
  "verify.signInAgain": "Se reconnecter",

  "tf.title": "Validation en deux étapes",
  "tf.intro": "Encore une étape avant la connexion\u00a0: confirmez votre identité.",
  "tf.key": "Utiliser ma clé de sécurité",
  "tf.totp": "Saisir un code de mon application d'authentification",
  "tf.sms": "M'envoyer un code par SMS",
  "tf.email": "M'envoyer un code par e-mail",
  "tf.recovery": "Utiliser un code de récupération",
  "tf.restart": "Annuler et recommencer",
  "tf.codeTitle": "Saisissez votre code",
  "tf.codeTotp":
    "Ouvrez votre application d'authentification et saisissez le code à 6\u00a0chiffres qu'elle affiche pour {site}.",
  "tf.codeSms": "Nous vous avons envoyé un code par SMS. Saisissez-le ci-dessous.",
  "tf.codeEmail": "Nous vous avons envoyé un code par e-mail. Saisissez-le ci-dessous.",
  "tf.codeRecovery":
    "Saisissez l'un des codes de récupération que vous avez enregistrés. Chaque code ne peut servir qu'une fois.",
  "tf.codeApp": "Saisissez le code pour\u00a0: {label}.",
  "tf.approvalTitle": "Approuver la connexion",
  "tf.approvalIntro":
    "Nous vous avons demandé votre approbation ({label}). Approuvez la demande là-bas, puis continuez ici.",
  "tf.approvalContinue": "J'ai approuvé, continuer",
  "tf.approvalWaiting": "En attente de votre approbation\u2026",
  "tf.codeSubmit": "Valider",
  "tf.otherWay": "Choisir une autre méthode",
  "tf.remember":
    "Ne plus demander sur ce navigateur pendant {days, plural, one {# jour} other {# jours}}",
  "tf.remembered": "Continuer\u00a0: ce navigateur est mémorisé",
  "tf.enrolTitle": "Configurer la validation en deux étapes",
  "tf.enrolIntro":
    "Ce site demande à tous ses utilisateurs une seconde étape après la première. Choisissez comment confirmer votre identité et configurez cette méthode pour terminer la connexion.",
  "tf.enrolTotp": "Configurer une application d'authentification",
  "tf.enrolSms": "M'envoyer un code par SMS",
  "tf.enrolEmail": "M'envoyer un code par e-mail",
  "tf.enrolKey": "Utiliser une clé de sécurité",
  "tf.enrolNone":
    "Ce site demande à tous ses utilisateurs une seconde étape, mais aucune ne peut être configurée pendant la connexion. Demandez de l'aide à l'administrateur du site.",
  "setupCode.title": "Saisissez le code envoyé",
  "setupCode.sms":
    "Nous avons envoyé un code par SMS au {to}. Saisissez-le pour activer cette méthode.",
  "setupCode.email": "Nous avons envoyé un code à {to}. Saisissez-le pour activer cette méthode.",

  "account.title": "Connexion et sécurité",
  "account.keys": "Clés d'accès et clés de sécurité",
  "account.keysIntro":
    "Les clés d'accès vous permettent de vous connecter sans mot de passe. Les clés de sécurité confirment votre identité après votre mot de passe.",
  "account.keysPasskeys": "Clés d'accès",
  "account.keysPasskeysIntro":
    "Les clés d'accès vous permettent de vous connecter sans mot de passe.",
  "account.keysSecurityKeys": "Clés de sécurité",
  "account.keysSecurityKeysIntro":
    "Les clés de sécurité confirment votre identité après votre mot de passe.",
  "account.noKeys": "Vous n'avez pas encore de clé d'accès ni de clé de sécurité.",
  "account.usage.first": "Clé d'accès",
  "account.usage.secondary": "Second facteur",
  "account.synced": "Synchronisée",
  "account.deviceBound": "Cet appareil uniquement",
  "account.syncedHint":
    "Sauvegardée dans un gestionnaire de mots de passe ou un compte cloud\u00a0: vos autres appareils l'ont aussi",
  "account.deviceBoundHint":
    "Stockée uniquement sur cet authentificateur\u00a0: elle ne peut pas être sauvegardée",
  "account.notBackedUp": "Non sauvegardée",
  "account.createdBy": "Ajoutée par",
  "account.createdByUpgrade":
    "Votre gestionnaire de mots de passe, lors d'une connexion avec votre mot de passe",
  "account.notBackedUpHint":
    "Elle peut être synchronisée, mais n'est pas sauvegardée pour l'instant\u00a0: activez la synchronisation dans votre gestionnaire de mots de passe",
  "account.onlyUnbackedKey":
    "Vous vous connectez uniquement avec une clé d'accès qui n'est pas sauvegardée. Si vous perdez cet appareil, seule la récupération de compte vous permettra de vous reconnecter\u00a0: ajoutez une autre clé d'accès ou un mot de passe.",
  "account.authenticator": "Authentificateur",
  "account.unknownAuthenticator": "Authentificateur inconnu",
  "account.authPlatform": "Intégré à un appareil (verrouillage de l'écran)",
  "account.authHybrid": "Un téléphone ou une tablette",
  "account.authRoaming": "Clé de sécurité",
  "account.added": "Date d'ajout",
  "account.lastUsed": "Dernière utilisation",
  "account.neverUsed": "Jamais",
  "account.rename": "Renommer",
  "account.renameLabel": "Nouveau nom pour {name}",
  "account.renameSubmit": "Enregistrer le nom",
  "account.delete": "Supprimer",
  "account.deleteLabel": "Supprimer {name}",
  "account.deleteConfirm": "Supprimer {name}\u00a0? Vous ne pourrez plus l'utiliser ici.",
  "account.deleteLastSignIn":
    "Supprimer {name}\u00a0? C'est votre seul moyen de connexion\u00a0: sans mot de passe ni autre clé d'accès, vous ne pourrez plus vous connecter (il ne restera que la récupération de compte par e-mail).",
  "account.deleteLastSignInCheck":
    "Je comprends que je ne pourrai plus me connecter sans cette clé",
  "account.deleteOnlySecondFactor":
    "Supprimer {name}\u00a0? C'est votre seul second facteur\u00a0: la validation en deux étapes sera désactivée et vos codes de récupération ne fonctionneront plus.",
  "account.platformSecondWarning":
    "Une clé liée à cet appareil disparaît avec lui. Si c'est votre seul second facteur, vous risquez de ne plus pouvoir accéder à votre compte\u00a0: choisissez une clé de sécurité ou un autre appareil, ou configurez aussi une application d'authentification.",
  "account.signIn.none":
    "Vous n'avez aucun moyen de vous reconnecter\u00a0: ni mot de passe ni clé d'accès. Ajoutez une clé d'accès ou définissez un mot de passe avant la fin de cette session.",
  "account.signIn.password": "Vous vous connectez avec votre mot de passe.",
  "account.signIn.passkey": "Vous vous connectez avec votre clé d'accès.",
  "account.signIn.passkeys":
    "{count, plural, one {Vous vous connectez avec votre clé d'accès.} other {Vous vous connectez avec l'une de vos # clés d'accès.}}",
  "account.signIn.both": "Vous vous connectez avec votre mot de passe ou une clé d'accès.",
  "account.flagged":
    "Attention\u00a0: le compteur de cette clé a reculé\u00a0; elle a peut-être été copiée.",
  "account.add": "Ajouter une clé",
  "account.keyName": "Nom",
  "account.keyNameHint":
    "Pour distinguer vos clés, par exemple «\u00a0Portable du travail\u00a0». Si vous laissez ce champ vide, la clé prend le nom de son authentificateur.",
  "account.usage": "Utilisation",
  "account.usageFirst": "Me connecter sans mot de passe (clé d'accès)",
  "account.usageSecondary": "Confirmer mon identité après mon mot de passe (second facteur)",
  "account.where": "Où se trouve la clé\u00a0?",
  "account.wherePlatform":
    "Sur cet appareil (empreinte digitale, reconnaissance faciale ou verrouillage de l'écran)",
  "account.whereCrossPlatform": "Une clé de sécurité (USB, NFC ou Bluetooth)",
  "account.whereHybrid": "Un téléphone ou une tablette (en scannant un code QR)",
  "account.addSubmit": "Ajouter la clé",
  "account.addNeedsJs":
    "L'ajout d'une clé nécessite JavaScript et un navigateur compatible avec les clés d'accès.",
  "account.twoFactor": "Validation en deux étapes",
  "account.twoFactorOn":
    "Activée\u00a0: après votre mot de passe, vous confirmez votre identité avec {methods}.",
  "account.twoFactorOff": "Désactivée\u00a0: la connexion ne demande pas de seconde étape.",
  "account.method.webauthn": "une clé de sécurité",
  "account.method.totp": "une application d'authentification",
  "account.method.sms": "un code par SMS",
  "account.method.email": "un code par e-mail",
  "account.method.recovery": "un code de récupération",
  "account.totp": "Application d'authentification",
  "account.totpOn": "Configurée\u00a0: la connexion demande un code de votre application.",
  "account.totpOff":
    "Utilisez une application comme Google Authenticator, 1Password ou Aegis pour obtenir des codes.",
  "account.totpSetup": "Configurer une application d'authentification",
  "account.totpReplace": "Remplacer l'application d'authentification",
  "account.totpTurnOff": "Désactiver",
  "account.totpOffConfirm": "Désactiver les codes de votre application d'authentification\u00a0?",
  "account.recovery": "Codes de récupération",
  "account.recoveryIntro":
    "Les codes de récupération vous permettent d'accéder à votre compte si vous perdez votre second facteur. Chaque code ne peut servir qu'une fois.",
  "account.recoveryLeft": "Codes non utilisés\u00a0: {count}.",
  "account.recoveryGenerate": "Générer de nouveaux codes de récupération",
  "account.recoveryConfirm":
    "Générer de nouveaux codes de récupération\u00a0? Vos codes actuels ne fonctionneront plus.",
  "account.details": "Adresse e-mail, mot de passe et sessions",
  "account.email": "Adresse e-mail",
  "account.changeEmail": "Modifier l'adresse e-mail",
  "account.password": "Mot de passe",
  "account.passwordOn": "Défini\u00a0: vous pouvez l'utiliser pour vous connecter.",
  "account.passwordOff": "Non défini.",
  "account.changePassword": "Modifier le mot de passe",
  "account.setPassword": "Définir un mot de passe",
  "account.sessions": "Sessions",
  "account.sessionsIntro": "Appareils connectés à votre compte.",
  "account.sessionsLink": "Voir les appareils connectés",
  "account.thisSession": "Cette session\u00a0: connexion avec {methods}.",
  "account.stale":
    "L'ajout, le changement de nom ou la suppression d'une clé nécessite une connexion récente. Confirmez d'abord votre identité.",
  "account.staleAction": "Confirmer votre identité",

  "totp.title": "Configurer une application d'authentification",
  "totp.step1": "Scannez ce code QR avec votre application d'authentification.",
  "totp.manual":
    "Impossible de le scanner\u00a0? Saisissez plutôt cette clé de configuration\u00a0:",
  "totp.step2": "Pour terminer, saisissez le code à 6\u00a0chiffres affiché par l'application.",
  "totp.submit": "Activer",
  "totp.qrAlt": "Code QR pour ajouter {site} à une application d'authentification",

  "recovery.title": "Vos codes de récupération",
  "recovery.intro":
    "Conservez ces codes en lieu sûr. Ils ne seront plus affichés par la suite\u00a0; chacun ne peut servir qu'une fois. Vos anciens codes ne fonctionnent plus.",
  "recovery.copy": "Copier les codes",
  "recovery.copied": "Copiés.",
  "recovery.download": "Télécharger en fichier texte",
  "recovery.done": "Je les ai enregistrés",
  "recovery.fileHeader":
    "Codes de récupération pour {site} ({email}). Chaque code ne peut servir qu'une fois.",

  "reset.title": "Réinitialiser votre mot de passe",
  "reset.intro":
    "Saisissez l'adresse e-mail de votre compte\u00a0: nous vous enverrons un lien pour choisir un nouveau mot de passe.",
  "reset.submit": "Envoyer le lien",
  "reset.sent":
    "Si un compte utilise cette adresse, un lien vient d'y être envoyé. Consultez votre boîte de réception (et le dossier des spams)\u00a0; le lien ne peut servir qu'une fois et expire rapidement.",
  "reset.newTitle": "Choisissez un nouveau mot de passe",
  "reset.newIntro":
    "La réinitialisation de votre mot de passe vous déconnecte de tous vos appareils.",
  "reset.newSubmit": "Enregistrer et se connecter",
  "reset.lostKey": "Vous utilisiez une clé d'accès et l'avez perdue\u00a0?",
  "reset.recover": "Récupérer votre compte",

  "recover.title": "Récupérer votre compte",
  "recover.intro":
    "Vous avez perdu l'appareil qui contenait votre clé d'accès\u00a0? Saisissez l'adresse e-mail de votre compte\u00a0: nous vous enverrons un lien pour ajouter une nouvelle clé d'accès.",
  "recover.submit": "Envoyer le lien",
  "recover.sent":
    "Si un compte utilise cette adresse, un lien vient d'y être envoyé. Consultez votre boîte de réception (et le dossier des spams)\u00a0; le lien ne peut servir qu'une fois et expire rapidement.",
  "recover.landingTitle": "Ajoutez une nouvelle clé d'accès",
  "recover.landingIntro":
    "Ce lien ouvre une courte session qui permet uniquement d'ajouter une nouvelle clé d'accès à votre compte. Vous vous connecterez ensuite avec celle-ci.",
  "recover.code": "Code de récupération",
  "recover.codeHint":
    "La validation en deux étapes est activée sur votre compte\u00a0: saisissez l'un des codes de récupération que vous avez enregistrés.",
  "recover.continue": "Continuer",
  "recover.keyTitle": "Ajoutez votre nouvelle clé d'accès",
  "recover.keyIntro":
    "Créez une clé d'accès sur cet appareil (ou une clé de sécurité). Connectez-vous ensuite avec elle pour utiliser votre compte.",
  "recover.keyName": "Nom",
  "recover.keyNameHint": "Pour distinguer vos clés, par exemple «\u00a0Nouveau téléphone\u00a0».",
  "recover.keySubmit": "Ajouter la clé d'accès",
  "recover.needsJs":
    "L'ajout d'une clé d'accès nécessite JavaScript et un navigateur compatible avec les clés d'accès.",
  "recover.noKeys":
    "Ce site n'utilise ni clés d'accès ni clés de sécurité\u00a0: il n'y a donc aucune clé à ajouter. Réinitialisez plutôt votre mot de passe.",
  "recover.usePassword": "Votre compte a un mot de passe\u00a0?",
  "recover.reset": "Réinitialiser votre mot de passe",

  "confirm.title": "Confirmez votre adresse e-mail",
  "confirm.intro": "Confirmez qu'il s'agit bien de votre adresse e-mail.",
  "confirm.submit": "Confirmer mon adresse e-mail",
  "confirm.sent":
    "Nous vous avons envoyé un lien de confirmation. Ouvrez-le pour confirmer votre adresse e-mail.",
  "confirm.done": "Merci, votre adresse e-mail est confirmée.",
  "confirm.resendIntro":
    "Vous n'avez pas reçu le lien, ou il a expiré\u00a0? Nous pouvons vous en envoyer un nouveau.",
  "confirm.resend": "Envoyer un nouveau lien",
  "confirm.continue": "Continuer",

  "password.title": "Modifier votre mot de passe",
  "password.setTitle": "Définir un mot de passe",
  "password.intro":
    "La modification de votre mot de passe vous déconnecte de vos autres appareils.",
  "password.current": "Mot de passe actuel",
  "password.currentHint": "Ou confirmez d'abord votre identité, puis laissez ce champ vide.",
  "password.new": "Nouveau mot de passe",
  "password.submit": "Modifier le mot de passe",
  "password.setSubmit": "Définir le mot de passe",
  "password.changed": "Votre mot de passe a été modifié. Vos autres sessions ont été fermées.",
  "password.stale":
    "La définition d'un mot de passe nécessite une connexion récente. Confirmez d'abord votre identité.",

  "email.title": "Modifier votre adresse e-mail",
  "email.intro":
    "Votre adresse e-mail est {email}. Nous enverrons un lien à la nouvelle adresse\u00a0; la modification prendra effet lorsque vous l'ouvrirez.",
  "email.new": "Nouvelle adresse e-mail",
  "email.submit": "Envoyer le lien",
  "email.sent":
    "Consultez la nouvelle adresse\u00a0: vous y trouverez un lien pour la confirmer. Un message a également été envoyé à votre adresse actuelle.",
  "email.confirmTitle": "Confirmez votre nouvelle adresse e-mail",
  "email.confirmIntro": "Utiliser désormais cette adresse pour votre compte\u00a0?",
  "email.confirmSubmit": "Confirmer la nouvelle adresse",
  "email.changed": "Votre adresse e-mail a été modifiée.",
  "email.stale":
    "La modification de votre adresse e-mail nécessite une connexion récente. Confirmez d'abord votre identité.",

  "sessions.title": "Appareils connectés",
  "sessions.intro":
    "Ces appareils sont connectés à votre compte. Déconnectez ceux que vous ne reconnaissez pas.",
  "sessions.current": "Cet appareil",
  "sessions.unknownDevice": "Appareil inconnu",
  "sessions.lastSeen": "Dernière activité",
  "sessions.signedIn": "Date de connexion",
  "sessions.ip": "Adresse IP",
  "sessions.method": "Méthode de connexion",
  "sessions.recovery": "Session de récupération",
  "sessions.revoke": "Déconnecter",
  "sessions.revoked": "Cette session a été fermée.",
  "sessions.everywhere": "Se déconnecter partout",
  "sessions.everywhereIntro": "Ferme toutes les sessions, y compris celle-ci.",
  "sessions.everywhereConfirm": "Se déconnecter de tous les appareils, y compris celui-ci\u00a0?",
  "sessions.stale":
    "La déconnexion d'autres appareils nécessite une connexion récente. Confirmez d'abord votre identité.",

  "amr.password": "mot de passe",
  "amr.passkeyVerified": "clé d'accès avec empreinte digitale ou code PIN",
  "amr.passkey": "clé d'accès",
  "amr.securityKey": "clé de sécurité",
  "amr.totp": "code de l'application d'authentification",
  "amr.sms": "code envoyé par SMS",
  "amr.email": "lien ou code envoyé par e-mail",
  "amr.recovery": "code de récupération",
  "amr.remembered": "navigateur mémorisé",
  "amr.pin": "code PIN",
  "amr.approval": "approbation sur un autre appareil",
  "amr.phone": "appel téléphonique",
  "amr.signUp": "création du compte",

  "common.confirmFirst": "Confirmer votre identité",
  "common.back": "Retour à votre compte",
  "common.signIn": "Se connecter",

  "done.signedOut": "Déconnexion effectuée.",
  "done.welcome":
    "Votre compte est prêt. Ajoutez une clé d'accès pour vous connecter sans mot de passe la prochaine fois.",
  "done.keyAdded": "Clé ajoutée.",
  "done.keyRenamed": "Clé renommée.",
  "done.keyDeleted": "Clé supprimée.",
  "done.keyDeletedTwoFactorOff":
    "Clé supprimée. C'était votre seul second facteur\u00a0: la validation en deux étapes est donc désactivée et vos codes de récupération ne fonctionnent plus.",
  "done.passkeyAdded":
    "Votre clé d'accès a été ajoutée. Utilisez-la pour vous connecter la prochaine fois.",
  "done.passkeyUpgraded":
    "Votre gestionnaire de mots de passe a enregistré une clé d'accès pour ce compte. La prochaine fois, connectez-vous avec elle.",
  "done.keyDeletedSignedOut":
    "Clé supprimée. Elle avait servi à ouvrir cette session, qui a donc été fermée\u00a0: connectez-vous d'une autre manière.",
  "done.factorRemovedSignedOut":
    "Second facteur supprimé. Il avait servi à ouvrir cette session, qui a donc été fermée\u00a0: reconnectez-vous.",
  "done.verified": "Merci, votre identité est confirmée.",
  "done.twoFactorOn": "La validation en deux étapes est activée.",
  "done.pendingExpired": "Cette connexion a expiré. Veuillez vous reconnecter.",
  "done.stepExpired": "Le délai est dépassé. Veuillez réessayer.",
  "done.recovered":
    "Votre nouvelle clé a été ajoutée. Connectez-vous avec elle pour utiliser votre compte.",

  "error.INVALID_INPUT": "Vérifiez votre saisie\u00a0: {detail}",
  "error.INVALID_CREDENTIALS":
    "L'adresse e-mail, le nom d'utilisateur ou le mot de passe est incorrect.",
  "error.EMAIL_TAKEN":
    "Un compte existe déjà avec cette adresse e-mail. Voulez-vous plutôt vous connecter\u00a0?",
  "error.USERNAME_TAKEN": "Ce nom d'utilisateur est déjà pris. Choisissez-en un autre.",
  "error.PASSWORD_REQUIRED": "Choisissez un mot de passe.",
  "error.PASSWORD_TOO_SHORT":
    "Le mot de passe doit comporter au moins {min, plural, one {# caractère} other {# caractères}}.",
  "error.PASSWORD_NOT_SET":
    "Ce compte n'a pas de mot de passe. Utilisez une clé d'accès ou une clé de sécurité.",
  "error.CSRF_FAILED": "Ce formulaire a expiré. Veuillez réessayer.",
  "error.FRESHNESS_REQUIRED":
    "Pour votre sécurité, confirmez d'abord votre identité, puis réessayez.",
  "error.RATE_LIMITED": "Trop de tentatives. Patientez un instant, puis réessayez.",
  "error.STATE_INVALID": "Cette étape a expiré ou a déjà été utilisée. Veuillez recommencer.",
  "error.STATE_EXPIRED": "Cette étape a expiré. Veuillez recommencer.",
  "error.ACCOUNT_INACTIVE": "Ce compte est désactivé.",
  "error.ACCOUNT_LOCKED":
    "Ce compte est verrouillé. Réessayez plus tard ou demandez à l'administrateur du site de le déverrouiller.",
  "error.WEBAUTHN_NAME_TAKEN": "Vous avez déjà une clé portant ce nom. Choisissez-en un autre.",
  "error.WEBAUTHN_KEY_LIMIT":
    "Votre compte a atteint le nombre maximal de clés sur ce site. Supprimez d'abord une clé que vous n'utilisez plus.",
  "error.WEBAUTHN_NAME_INVALID":
    "Donnez à la clé un nom de {max, plural, one {# caractère} other {# caractères}} au maximum.",
  "error.WEBAUTHN_CREDENTIAL_NOT_FOUND": "Cette clé n'existe plus.",
  "error.WEBAUTHN_BACKUP_ELIGIBILITY_CHANGED":
    "Cette clé ne correspond plus à celle que vous avez enregistrée. Utilisez une autre clé ou connectez-vous d'une autre manière.",
  "error.AAL_REQUIRED":
    "Pour modifier ce paramètre, connectez-vous d'abord avec votre second facteur.",
  "error.REAUTHENTICATION_REQUIRED":
    "Cela fait un moment que vous n'avez pas confirmé votre identité. Confirmez-la avec votre clé d'accès ou reconnectez-vous.",
  "error.TWO_FACTOR_CODE_INVALID": "Ce code est incorrect. Vérifiez-le et réessayez.",
  "error.TWO_FACTOR_CODE_USED": "Ce code a déjà été utilisé. Attendez le suivant.",
  "error.TWO_FACTOR_CODE_EXPIRED": "Ce code a expiré. Demandez-en un nouveau.",
  "error.TWO_FACTOR_APPROVAL_PENDING":
    "Nous n'avons pas encore reçu votre approbation. Approuvez la connexion, puis continuez.",
  "error.TWO_FACTOR_DENIED": "La connexion n'a pas été approuvée.",
  "error.TWO_FACTOR_DEVICE_NOT_REMEMBERED":
    "Ce navigateur n'est plus mémorisé. Choisissez une autre méthode pour confirmer votre identité.",
  "error.RECOVERY_CODE_INVALID": "Ce code de récupération est incorrect ou a déjà été utilisé.",
  "error.RECOVERY_CODE_REQUIRED": "Saisissez également l'un de vos codes de récupération.",
  "error.TOKEN_INVALID": "Ce lien n'est pas valide ou a déjà été utilisé. Demandez-en un nouveau.",
  "error.TOKEN_EXPIRED": "Ce lien a expiré. Demandez-en un nouveau.",
  "error.EMAIL_NOT_CONFIRMED":
    "Confirmez d'abord votre adresse e-mail\u00a0: ouvrez le lien que nous vous avons envoyé.",
  "error.SESSION_LIMITED":
    "Cette session de récupération permet uniquement d'ajouter une nouvelle clé d'accès.",
  "error.SESSION_NOT_FOUND": "Cette session est déjà terminée.",
  "error.LAST_SIGN_IN_METHOD":
    "C'est votre seul moyen de connexion. Ajoutez d'abord une autre clé d'accès ou définissez un mot de passe, ou confirmez que vous voulez vraiment le supprimer.",

  "client.unsupported":
    "Ce navigateur ne peut pas utiliser de clés d'accès ni de clés de sécurité ici. Choisissez un autre mode de connexion.",
  "client.cancelled":
    "Aucune modification\u00a0: la demande a été annulée, ou votre appareil n'a pas pu confirmer votre identité.",
  "client.timedOut":
    "Aucune clé n'a répondu à temps. Vérifiez que votre clé de sécurité est connectée ou que votre appareil est déverrouillé, puis réessayez.",
  "client.aborted": "La demande a été interrompue.",
  "client.alreadyRegistered": "Cette clé est déjà enregistrée sur votre compte.",
  "client.security":
    "L'adresse de cette page ne correspond pas aux paramètres de clé d'accès du site.",
  "client.notSupported":
    "Cette clé ne peut pas être utilisée ici. Essayez une autre clé ou un autre appareil.",
  "client.authenticator": "Votre clé a signalé une erreur. Réessayez ou utilisez une autre clé.",
  "client.network":
    "Impossible de joindre le serveur. Vérifiez votre connexion Internet, puis réessayez.",
  "client.unknownCredential":
    "Cette clé d'accès n'est plus enregistrée ici. Elle a peut-être été supprimée\u00a0; connectez-vous d'une autre manière.",
  "client.freshness": "Pour votre sécurité, confirmez d'abord votre identité.",
  "client.reauthenticate":
    "Cela fait un moment que vous n'avez pas confirmé votre identité. Confirmez-la avec votre clé d'accès ou reconnectez-vous.",
  "client.unauthenticated": "Votre session a pris fin. Reconnectez-vous pour continuer.",
  "client.stateExpired": "Le délai est dépassé. Veuillez réessayer.",
  "client.nameTaken": "Vous avez déjà une clé portant ce nom. Choisissez-en un autre.",
  "client.credentialExists": "Cette clé est déjà enregistrée.",
  "client.usageNotAllowed": "Cette clé ne peut pas être utilisée pour cette action.",
  "client.rateLimited": "Trop de tentatives. Patientez un instant, puis réessayez.",
  "client.lastSignInMethod":
    "C'est votre seul moyen de connexion. Ajoutez d'abord une autre clé d'accès ou définissez un mot de passe, ou confirmez que vous voulez vraiment le supprimer.",
  "client.server": "Un problème est survenu. Veuillez réessayer.",
  "client.working": "En attente de votre clé\u2026",
  "client.keyAdded": "Clé ajoutée.",
  "client.passkeyUpgraded":
    "Votre gestionnaire de mots de passe a enregistré une clé d'accès pour ce compte. La prochaine fois, connectez-vous avec elle.",

  "api.INVALID_INPUT": "Vérifiez les données envoyées.",
  "api.MALFORMED_JSON": "Le corps de la requête n'est pas un JSON valide.",
  "api.UNSUPPORTED_MEDIA_TYPE": "Envoyez application/json ou application/x-www-form-urlencoded.",
  "api.BODY_TOO_LARGE": "Le corps de la requête est trop volumineux.",
  "api.INVALID_CREDENTIALS":
    "L'adresse e-mail, le nom d'utilisateur ou le mot de passe est incorrect.",
  "api.UNAUTHENTICATED": "Connectez-vous d'abord.",
  "api.BEARER_TOKEN_INVALID": "Ce jeton n'est plus valide\u00a0; reconnectez-vous.",
  "api.BEARER_TOKENS_DISABLED":
    "Ce serveur ne délivre pas de jetons Bearer\u00a0; utilisez le cookie de session.",
  "api.AAL_REQUIRED":
    "Cette action nécessite une session d'un niveau d'assurance plus élevé\u00a0; connectez-vous avec un second facteur.",
  "api.REAUTHENTICATION_REQUIRED":
    "Cela fait un moment que vous n'avez pas confirmé votre identité\u00a0: confirmez-la avec votre clé d'accès ou reconnectez-vous.",
  "api.FRESHNESS_REQUIRED":
    "Confirmez votre identité avec votre mot de passe ou une clé, puis réessayez.",
  "api.CSRF_FAILED": "Cette requête a été refusée, car elle provient d'un autre site.",
  "api.ACCOUNT_INACTIVE": "Ce compte est désactivé.",
  "api.ACCOUNT_LOCKED":
    "Ce compte est verrouillé. Réessayez plus tard ou demandez à l'administrateur du site de le déverrouiller.",
  "api.PASSWORD_NOT_SET": "Ce compte n'a pas de mot de passe\u00a0; utilisez une clé.",
  "api.EMAIL_TAKEN": "Un compte existe déjà avec cette adresse e-mail.",
  "api.USERNAME_TAKEN": "Ce nom d'utilisateur est déjà pris.",
  "api.PASSWORD_REQUIRED": "Un mot de passe est requis.",
  "api.PASSWORD_TOO_SHORT": "Le mot de passe est trop court.",
  "api.STATE_INVALID": "Cette requête est inconnue ou a déjà été utilisée\u00a0; recommencez.",
  "api.STATE_EXPIRED": "Cette requête a expiré\u00a0; recommencez.",
  "api.WEBAUTHN_DISABLED": "La connexion avec une clé est désactivée.",
  "api.WEBAUTHN_VERIFICATION_FAILED": "La réponse de la clé n'a pas pu être vérifiée.",
  "api.WEBAUTHN_UNKNOWN_CREDENTIAL": "Cette clé n'est pas enregistrée ici.",
  "api.WEBAUTHN_CREDENTIAL_EXISTS": "Cette clé est déjà enregistrée.",
  "api.WEBAUTHN_USER_HANDLE_MISMATCH": "La clé a répondu pour un autre compte.",
  "api.WEBAUTHN_USAGE_NOT_ALLOWED": "Cette clé ne peut pas être utilisée ici.",
  "api.WEBAUTHN_COUNTER_REGRESSION":
    "Le compteur de signatures de cette clé a reculé\u00a0; elle a peut-être été clonée.",
  "api.WEBAUTHN_NAME_TAKEN": "Vous avez déjà une clé portant ce nom.",
  "api.WEBAUTHN_KEY_LIMIT":
    "Ce compte a atteint le nombre maximal de clés\u00a0; supprimez-en d'abord une.",
  "api.PASSKEY_UPGRADE_UNAVAILABLE":
    "Aucune clé d'accès n'est proposée automatiquement ici\u00a0; ajoutez-en une depuis la page de votre compte.",
  "api.WEBAUTHN_NAME_INVALID": "Donnez un nom à la clé.",
  "api.WEBAUTHN_CREDENTIAL_NOT_FOUND": "Clé introuvable.",
  "api.WEBAUTHN_BACKUP_ELIGIBILITY_CHANGED":
    "L'éligibilité à la sauvegarde de cette clé a changé depuis son enregistrement.",
  "api.TWO_FACTOR_CODE_INVALID": "Ce code est incorrect.",
  "api.TWO_FACTOR_CODE_USED": "Ce code a déjà été utilisé\u00a0; attendez le suivant.",
  "api.TWO_FACTOR_CODE_EXPIRED": "Le code a expiré\u00a0; demandez-en un nouveau.",
  "api.TWO_FACTOR_NOT_ENROLLED": "Ce second facteur n'est pas configuré.",
  "api.TWO_FACTOR_METHOD_NOT_AVAILABLE": "Ce second facteur n'est pas disponible ici.",
  "api.TWO_FACTOR_REQUIRED":
    "Sur ce site, chaque compte doit avoir un second facteur\u00a0; ajoutez-en un autre avant de supprimer celui-ci.",
  "api.TWO_FACTOR_DELIVERY_FAILED": "Le code n'a pas pu être envoyé.",
  "api.TWO_FACTOR_APPROVAL_PENDING": "En attente de votre approbation.",
  "api.TWO_FACTOR_DENIED": "La connexion n'a pas été approuvée.",
  "api.TWO_FACTOR_DEVICE_NOT_REMEMBERED":
    "Cet appareil n'est pas mémorisé\u00a0; utilisez un second facteur.",
  "api.CODE_SIGNIN_DISABLED":
    "La connexion avec un code envoyé par ce moyen n'est pas proposée ici.",
  "api.CODE_SIGNIN_INVALID":
    "Ce code est incorrect ou n'est plus valide\u00a0; demandez-en un nouveau.",
  "api.CODE_SIGNIN_NOT_ALLOWED":
    "Le second facteur de ce compte est la boîte e-mail ou le téléphone qui a reçu le code\u00a0; connectez-vous avec votre mot de passe ou votre clé d'accès.",
  "api.RECOVERY_CODE_INVALID": "Ce code de récupération est incorrect ou a déjà été utilisé.",
  "api.ROAMING_FACTOR_REQUIRED":
    "C'est votre dernier second facteur utilisable depuis n'importe quel appareil\u00a0; ajoutez-en d'abord un autre (une application d'authentification, un téléphone ou une clé de sécurité).",
  "api.TOKEN_INVALID":
    "Ce lien n'est pas valide ou a déjà été utilisé\u00a0; demandez-en un nouveau.",
  "api.TOKEN_EXPIRED": "Ce lien a expiré\u00a0; demandez-en un nouveau.",
  "api.EMAIL_NOT_CONFIRMED":
    "Confirmez d'abord votre adresse e-mail\u00a0: ouvrez le lien que nous vous avons envoyé, ou demandez-en un nouveau.",
  "api.RECOVERY_CODE_REQUIRED":
    "La validation en deux étapes est activée sur ce compte\u00a0: saisissez également l'un de vos codes de récupération.",
  "api.SESSION_LIMITED":
    "Cette session de récupération permet uniquement d'enregistrer une nouvelle clé\u00a0; connectez-vous avec celle-ci pour faire autre chose.",
  "api.SESSION_NOT_FOUND": "Session introuvable.",
  "api.LAST_SIGN_IN_METHOD":
    "C'est votre seul moyen de connexion. Ajoutez d'abord une autre clé d'accès ou définissez un mot de passe, ou confirmez que vous voulez vraiment le supprimer.",
  "api.USER_NOT_FOUND": "Compte introuvable.",
  "api.RATE_LIMITED": "Trop de tentatives\u00a0; réessayez plus tard.",
  "api.NOT_FOUND": "Route introuvable.",
  "api.STORE_UNAVAILABLE":
    "Le stockage des données d'authentification est indisponible\u00a0; réessayez.",
  "api.INTERNAL": "Un problème est survenu\u00a0; réessayez.",
} as const;

/**
 * French mails, one-time code texts, second-factor warnings and device words (en-mail.ts, in
 * its order; its header says what each placeholder holds). Same terms and punctuation as fr.ts:
 * passkey = clé d'accès, second factor = second facteur, recovery code = code de récupération,
 * authenticator app = application d'authentification, a signed-out session = une session
 * fermée; formal "vous", a no-break space (\u00a0) before : ; ? !
 * `sms.code` keeps to the GSM-7 alphabet (no no-break space, no ç or ê) so one code fits one
 * SMS.
 */
export const frMail = {
  "mail.expires": "Ce lien ne peut servir qu'une fois et expire dans {duration}.",
  "mail.ipAddress": "adresse IP {ip}",
  "mail.ignore": "Si vous n'êtes pas à l'origine de cette demande, ignorez simplement cet e-mail.",
  "mail.notYou":
    "Si vous n'êtes pas à l'origine de cette action, connectez-vous, modifiez votre mot de passe (ou ajoutez une nouvelle clé d'accès) et déconnectez-vous de tous les appareils, puis prévenez-nous.",

  "mail.confirmEmail.subject": "Confirmez votre adresse e-mail pour {site}",
  "mail.confirmEmail.intro":
    "Ouvrez ce lien pour confirmer que {email} est bien votre adresse e-mail pour {site}\u00a0:",
  "mail.confirmEmail.outro":
    "{expires} Si vous n'avez pas créé de compte, ignorez simplement cet e-mail.",

  "mail.changeEmail.subject": "Confirmez votre nouvelle adresse e-mail pour {site}",
  "mail.changeEmail.intro":
    "Ouvrez ce lien pour utiliser {newEmail} comme adresse e-mail de votre compte {site} (elle remplacera {email})\u00a0:",
  "mail.changeEmail.outro":
    "{expires} Une connexion à votre compte est nécessaire pour confirmer. Si vous n'êtes pas à l'origine de cette demande, ignorez simplement cet e-mail.",

  "mail.resetPassword.subject": "Réinitialisez votre mot de passe {site}",
  "mail.resetPassword.intro":
    "Quelqu'un (probablement vous) a demandé la réinitialisation du mot de passe de votre compte {site}{where}. Ouvrez ce lien pour choisir un nouveau mot de passe\u00a0:",
  "mail.resetPassword.outro":
    "{expires} La réinitialisation vous déconnecte de tous vos appareils. Si vous n'êtes pas à l'origine de cette demande, ignorez simplement cet e-mail\u00a0: votre mot de passe reste inchangé.",

  "mail.recoverAccount.subject": "Récupérez votre compte {site}",
  "mail.recoverAccount.intro":
    "Quelqu'un (probablement vous) a demandé la récupération de votre compte {site}{where}. Ouvrez ce lien pour ajouter une nouvelle clé d'accès\u00a0:",
  "mail.recoverAccount.outro":
    "{expires} Le lien ouvre une courte session qui permet uniquement d'ajouter une clé. Si vous n'êtes pas à l'origine de cette demande, ignorez simplement cet e-mail.",

  "mail.resetWithoutPassword.subject": "À propos de votre mot de passe {site}",
  "mail.resetWithoutPassword.intro":
    "Quelqu'un (probablement vous) a demandé la réinitialisation du mot de passe de votre compte {site}, mais ce compte n'a pas de mot de passe\u00a0: vous vous connectez avec une clé d'accès.",
  "mail.resetWithoutPassword.recover":
    "Clé d'accès perdue\u00a0? Récupérez votre compte ici\u00a0: {link}",

  "mail.recoverWithPassword.subject": "À propos de la récupération de votre compte {site}",
  "mail.recoverWithPassword.intro":
    "Quelqu'un (probablement vous) a demandé la récupération de votre compte {site}. Comme votre compte a un mot de passe, réinitialisez plutôt celui-ci\u00a0: {link}",

  "mail.emailTaken.subject": "Votre adresse e-mail et {site}",
  "mail.emailTaken.intro":
    "Une personne connectée à {site} a demandé à utiliser {email} comme adresse e-mail de son compte, mais un compte existe déjà avec cette adresse\u00a0: rien n'a donc été modifié.",

  "mail.emailChangeRequested.subject": "L'adresse e-mail de votre compte {site} va être modifiée",
  "mail.emailChangeRequested.intro":
    "Une personne connectée à votre compte {site}{where} a demandé à remplacer l'adresse e-mail du compte, {email}, par {newEmail}. La modification prendra effet une fois la nouvelle adresse confirmée.",

  "mail.emailChanged.subject": "L'adresse e-mail de votre compte {site} a été modifiée",
  "mail.emailChanged.intro":
    "L'adresse e-mail de votre compte {site} a été modifiée{where}\u00a0: l'adresse {email} a été remplacée par {newEmail}. Les e-mails concernant le compte sont désormais envoyés à cette nouvelle adresse.",

  "mail.passwordReset.subject": "Le mot de passe de votre compte {site} a été réinitialisé",
  "mail.passwordReset.intro":
    "Le mot de passe de votre compte {site} a été réinitialisé à l'aide d'un lien envoyé par e-mail{where}. Toutes les sessions ont été fermées.",

  "mail.passwordChanged.subject": "Le mot de passe de votre compte {site} a été modifié",
  "mail.passwordChanged.intro":
    "Le mot de passe de votre compte {site} a été modifié{where}. Vos autres sessions ont été fermées.",

  "mail.accountRecovered.subject": "Votre compte {site} a été récupéré",
  "mail.accountRecovered.intro":
    "Votre compte {site} a été récupéré à l'aide d'un lien envoyé par e-mail{where}\u00a0: une courte session permettant d'ajouter une nouvelle clé d'accès a été ouverte.",

  "mail.unconfirmedHolderRemoved.subject": "Des éléments de votre compte {site} ont été supprimés",
  "mail.unconfirmedHolderRemoved.intro":
    "Votre compte {site} a été créé avec l'adresse {email} avant que celle-ci soit confirmée. Un lien ou un code de connexion envoyé à cette adresse vient d'être utilisé pour accéder au compte{where}\u00a0; tout ce qui y avait été ajouté auparavant, par vous ou par la personne qui l'a créé, a donc été supprimé\u00a0: {removed}.",
  "mail.unconfirmedHolderRemoved.outro":
    "Ajoutez de nouveau les clés d'accès et les seconds facteurs que vous souhaitez utiliser. Si vous n'avez pas demandé ce lien, réinitialisez votre mot de passe ou récupérez votre compte dès maintenant.",
  "mail.removed.password": "le mot de passe",
  "mail.removed.keys": "{count, plural, one {# clé d'accès} other {# clés d'accès}}",
  "mail.removed.totp": "l'application d'authentification",
  "mail.removed.sms": "le numéro de téléphone utilisé pour les codes",
  "mail.removed.email": "les codes par e-mail",
  "mail.removed.recoveryCodes":
    "{count, plural, one {# code de récupération} other {# codes de récupération}}",
  "mail.removed.sessions": "{count, plural, one {# session (fermée)} other {# sessions (fermées)}}",
  "mail.removed.nothing": "rien",

  "mail.accessReset.subject": "Vos moyens de connexion à {site} ont été réinitialisés",
  "mail.accessReset.intro":
    "Un administrateur du site {site} a réinitialisé les moyens de connexion à votre compte\u00a0: ses clés d'accès, seconds facteurs, codes de récupération et mot de passe ont été supprimés, et toutes les sessions ont été fermées.",
  "mail.accessReset.password": "Ouvrez ce lien pour choisir un nouveau mot de passe\u00a0:",
  "mail.accessReset.passkey": "Ouvrez ce lien pour ajouter une nouvelle clé d'accès\u00a0:",
  "mail.accessReset.outro":
    "{expires} Configurez ensuite de nouveau vos seconds facteurs. Si vous ne vous attendiez pas à ce message, contactez {site}.",

  "mail.code.subject": "Votre code {site}\u00a0: {code}",
  "mail.code.text":
    "Votre code {site} est {code}. Il expire dans {minutes, plural, one {# minute} other {# minutes}}. Ne le communiquez à personne.",
  "mail.code.notYou": "Si vous n'avez pas essayé de vous connecter, modifiez votre mot de passe.",
  "sms.code":
    "Votre code {site} est {code}. Il expire dans {minutes, plural, one {# minute} other {# minutes}}. Ne le communiquez à personne.",

  "warning.ONLY_PLATFORM_FACTOR":
    "Votre seul second facteur est une clé liée à un appareil. Ajoutez une application d'authentification, un téléphone ou une clé de sécurité pour conserver l'accès à votre compte si vous perdez cet appareil.",
  "warning.NO_RECOVERY_CODES":
    "Vous n'avez aucun code de récupération. Générez-en et conservez-les en lieu sûr.",

  "device.browserOnOs": "{browser} sous {os}",
} as const;

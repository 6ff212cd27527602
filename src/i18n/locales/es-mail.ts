/**
 * Spanish for en-mail.ts (account mails, one-time code texts, second-factor warnings, device
 * words), with es.ts's glossary and its "tú": passkey = llave de acceso · security key = llave de
 * seguridad · sign in / out = iniciar / cerrar sesión · second factor = segundo factor · recovery
 * code = código de recuperación · authenticator app = aplicación de autenticación. "This email"
 * (the message) = este correo; an address = dirección de correo electrónico.
 */
export const esMail = {
  "mail.expires": "Funciona una sola vez y caduca en {duration}.",
  "mail.ipAddress": "dirección IP {ip}",
  "mail.ignore": "Si no lo pediste, ignora este correo.",
  "mail.notYou":
    "Si no fuiste tú, inicia sesión, cambia tu contraseña (o añade una llave de acceso nueva) y cierra sesión en todas partes; después, avísanos.",

  "mail.confirmEmail.subject": "Confirma tu correo electrónico en {site}",
  "mail.confirmEmail.intro":
    "Abre este enlace para confirmar que {email} es tu dirección de correo electrónico en {site}:",
  "mail.confirmEmail.outro": "{expires} Si no creaste una cuenta, ignora este correo.",

  "mail.changeEmail.subject": "Confirma tu nuevo correo electrónico en {site}",
  "mail.changeEmail.intro":
    "Abre este enlace para usar {newEmail} como dirección de correo electrónico de tu cuenta de {site} (hasta ahora era {email}):",
  "mail.changeEmail.outro":
    "{expires} Para confirmarlo, necesitas tener la sesión iniciada. Si no lo pediste, ignora este correo.",

  "mail.resetPassword.subject": "Restablece tu contraseña de {site}",
  "mail.resetPassword.intro":
    "Alguien (seguramente tú) pidió restablecer la contraseña de tu cuenta de {site}{where}. Abre este enlace para elegir una contraseña nueva:",
  "mail.resetPassword.outro":
    "{expires} Al restablecer tu contraseña, se cerrará tu sesión en todos los dispositivos. Si no lo pediste, ignora este correo: tu contraseña seguirá siendo la misma.",

  "mail.recoverAccount.subject": "Recupera tu cuenta de {site}",
  "mail.recoverAccount.intro":
    "Alguien (seguramente tú) pidió recuperar tu cuenta de {site}{where}. Abre este enlace para añadir una llave de acceso nueva:",
  "mail.recoverAccount.outro":
    "{expires} El enlace abre una sesión breve que solo puede añadir una llave. Si no lo pediste, ignora este correo.",

  "mail.resetWithoutPassword.subject": "Sobre tu contraseña de {site}",
  "mail.resetWithoutPassword.intro":
    "Alguien (seguramente tú) pidió restablecer la contraseña de tu cuenta de {site}, pero tu cuenta no tiene contraseña: inicias sesión con una llave de acceso.",
  "mail.resetWithoutPassword.recover":
    "¿Perdiste tu llave de acceso? Recupera tu cuenta aquí: {link}",

  "mail.recoverWithPassword.subject": "Sobre la recuperación de tu cuenta de {site}",
  "mail.recoverWithPassword.intro":
    "Alguien (seguramente tú) pidió recuperar tu cuenta de {site}. Tu cuenta tiene contraseña, así que, en lugar de recuperarla, restablece la contraseña: {link}",

  "mail.emailTaken.subject": "Tu correo electrónico y {site}",
  "mail.emailTaken.intro":
    "Alguien con la sesión iniciada en {site} pidió cambiar el correo electrónico de su cuenta a {email}, pero ya existe una cuenta con esta dirección, así que no se cambió nada.",

  "mail.emailChangeRequested.subject": "Tu correo electrónico de {site} va a cambiar",
  "mail.emailChangeRequested.intro":
    "Alguien con la sesión iniciada en tu cuenta de {site}{where} pidió cambiar la dirección de correo electrónico de la cuenta, de {email} a {newEmail}. El cambio se hará cuando se confirme la dirección nueva.",

  "mail.emailChanged.subject": "Se cambió tu correo electrónico de {site}",
  "mail.emailChanged.intro":
    "Se cambió la dirección de correo electrónico de tu cuenta de {site} de {email} a {newEmail}{where}. A partir de ahora, los correos sobre la cuenta llegan a esa dirección.",

  "mail.passwordReset.subject": "Se restableció tu contraseña de {site}",
  "mail.passwordReset.intro":
    "Se restableció la contraseña de tu cuenta de {site} con un enlace enviado por correo electrónico{where}. Se cerraron todas las sesiones.",

  "mail.passwordChanged.subject": "Se cambió tu contraseña de {site}",
  "mail.passwordChanged.intro":
    "Se cambió la contraseña de tu cuenta de {site}{where}. Se cerraron tus otras sesiones.",

  "mail.accountRecovered.subject": "Se recuperó tu cuenta de {site}",
  "mail.accountRecovered.intro":
    "Se recuperó tu cuenta de {site} con un enlace enviado por correo electrónico{where}: se abrió una sesión breve que puede añadir una llave de acceso nueva.",

  "mail.unconfirmedHolderRemoved.subject": "Hicimos limpieza en tu cuenta de {site}",
  "mail.unconfirmedHolderRemoved.intro":
    "Tu cuenta de {site} se creó con {email} antes de que se confirmara esta dirección. Se acaba de reclamar con un enlace o un código de inicio de sesión enviado a esa dirección{where}, así que se eliminó todo lo que se había añadido antes, ya fuera por ti o por quien la registró: {removed}.",
  "mail.unconfirmedHolderRemoved.outro":
    "Vuelve a añadir las llaves de acceso y los segundos factores que quieras. Si no pediste el enlace, restablece tu contraseña o recupera tu cuenta ahora.",
  "mail.removed.password": "la contraseña",
  "mail.removed.keys": "{count, plural, one {# llave de acceso} other {# llaves de acceso}}",
  "mail.removed.totp": "la aplicación de autenticación",
  "mail.removed.sms": "el número de teléfono para los códigos",
  "mail.removed.email": "los códigos por correo electrónico",
  "mail.removed.recoveryCodes":
    "{count, plural, one {# código de recuperación} other {# códigos de recuperación}}",
  "mail.removed.sessions":
    "{count, plural, one {# sesión (cerrada)} other {# sesiones (cerradas)}}",
  "mail.removed.nothing": "nada",

  "mail.accessReset.subject": "Se restableció cómo inicias sesión en {site}",
  "mail.accessReset.intro":
    "Un administrador de {site} restableció cómo inicias sesión en tu cuenta: se eliminaron sus llaves de acceso, segundos factores, códigos de recuperación y contraseña, y se cerraron todas las sesiones.",
  "mail.accessReset.password": "Abre este enlace para elegir una contraseña nueva:",
  "mail.accessReset.passkey": "Abre este enlace para añadir una llave de acceso nueva:",
  "mail.accessReset.outro":
    "{expires} Después, vuelve a configurar tus segundos factores. Si no esperabas esto, ponte en contacto con {site}.",

  "mail.code.subject": "Tu código de {site}: {code}",
  "mail.code.text":
    "Tu código de {site} es {code}. Caduca en {minutes, plural, one {# minuto} other {# minutos}}. No lo compartas con nadie.",
  "mail.code.notYou": "Si no intentaste iniciar sesión, cambia tu contraseña.",
  "sms.code":
    "Tu código de {site} es {code}. Caduca en {minutes, plural, one {# minuto} other {# minutos}}. No lo compartas con nadie.",

  "warning.ONLY_PLATFORM_FACTOR":
    "Tu único segundo factor es una llave vinculada a un dispositivo. Añade una aplicación de autenticación, un teléfono o una llave de seguridad para no quedarte sin acceso si pierdes ese dispositivo.",
  "warning.NO_RECOVERY_CODES":
    "No tienes códigos de recuperación. Genera algunos y guárdalos en un lugar seguro.",

  "device.browserOnOs": "{browser} en {os}",
} as const;

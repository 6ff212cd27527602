/**
 * Spanish (neutral, for Spain and Latin America; "tú" as the big platforms address people).
 * Glossary: passkey = llave de acceso · security key = llave de seguridad · key (either) = llave ·
 * sign in / out = iniciar / cerrar sesión · second factor = segundo factor · two-step verification
 * = verificación en dos pasos · recovery code = código de recuperación · authenticator app =
 * aplicación de autenticación · password manager = gestor de contraseñas.
 */
export const es = {
  lang: "es",
  "site.skip": "Saltar al contenido",
  "site.signedInAs": "Sesión iniciada como {email}",
  "site.signOut": "Cerrar sesión",
  "site.security": "Seguridad",
  "site.needsWebauthn":
    "Para usar una llave de acceso o una llave de seguridad, necesitas JavaScript y un navegador compatible.",

  "field.email": "Correo electrónico",
  "field.username": "Nombre de usuario",
  "field.usernameHint": "Letras, números, punto, guion y guion bajo.",
  "field.identity": "Correo electrónico o nombre de usuario",
  "field.password": "Contraseña",
  "field.newPassword": "Contraseña",
  "field.passwordHint": "Al menos {min, plural, one {# carácter} other {# caracteres}}.",
  "field.passwordOptionalHint":
    "Opcional: déjala en blanco para iniciar sesión solo con una llave de acceso. Si la estableces, debe tener al menos {min, plural, one {# carácter} other {# caracteres}}.",
  "field.code": "Código",
  "field.phone": "Número de teléfono",
  "field.optional": "opcional",

  "login.title": "Iniciar sesión",
  "login.intro": "Te damos la bienvenida de nuevo.",
  "login.passkey": "Iniciar sesión con una llave de acceso",
  "login.or": "o",
  "login.submit": "Iniciar sesión con contraseña",
  "login.forgotPassword": "¿Olvidaste tu contraseña?",
  "login.lostPasskey": "¿Perdiste tu llave de acceso?",
  "login.noPasskey":
    "¿No tienes una llave de acceso para este sitio en este dispositivo? Inicia sesión abajo con tu correo electrónico o nombre de usuario y tu contraseña, o usa una llave de acceso de otro dispositivo (un teléfono, una llave de seguridad).",
  "login.noPasskeyRecover": "¿Perdiste tu llave de acceso? Recupera tu cuenta",
  "login.noAccount": "¿Primera vez aquí?",
  "login.signUp": "Crear una cuenta",
  "login.remember": "Recordarme en este navegador",
  "login.codeEmail": "Enviarme un código de inicio de sesión por correo electrónico",
  "login.codeSms": "Enviarme un código de inicio de sesión por SMS",

  "code.title": "Escribe tu código de inicio de sesión",
  "code.introEmail":
    "Si hay una cuenta con los datos que escribiste, enviamos un código a su dirección de correo electrónico. Escríbelo abajo.",
  "code.introSms":
    "Si hay una cuenta con los datos que escribiste y tiene un número de teléfono, enviamos un código por SMS a ese número. Escríbelo abajo.",
  "code.submit": "Iniciar sesión",
  "code.again": "Pedir un código nuevo",

  "register.title": "Crea tu cuenta",
  "register.submit": "Crear cuenta",
  "register.haveAccount": "¿Ya tienes una cuenta?",
  "register.signIn": "Iniciar sesión",
  "register.passkeyTitle": "Añade tu llave de acceso",
  "register.passkeyIntro":
    "Tu cuenta no tiene contraseña, así que la próxima vez iniciarás sesión con una llave de acceso. Añádela ahora: sin ella, no podrás volver a iniciar sesión cuando termine esta sesión.",
  "register.passkeySubmit": "Añadir llave de acceso",
  "register.passkeyNeedsJs":
    "Este navegador no puede crear una llave de acceso aquí. Establece una contraseña para poder volver a iniciar sesión.",
  "register.passkeyInstead": "¿Prefieres usar una contraseña?",
  "register.passkeySetPassword": "Establecer una contraseña",

  "verify.title": "Confirma que eres tú",
  "verify.intro": "Por tu seguridad, confirma que eres tú antes de cambiar cómo inicias sesión.",
  "verify.key": "Usar una llave de acceso o una llave de seguridad",
  "verify.password": "Contraseña",
  "verify.passwordOnly": "Escribe tu contraseña",
  "verify.submit": "Confirmar",
  "verify.cancel": "Cancelar",
  "verify.reauthIntro":
    "Para hacer esto, tu inicio de sesión ya no es lo bastante reciente. Confirma que eres tú con tu llave de acceso o vuelve a iniciar sesión.",
  "verify.reauthKey": "Usar tu llave de acceso",
  "verify.signInAgain": "Volver a iniciar sesión",

  "tf.title": "Verificación en dos pasos",
  "tf.intro": "Ya casi terminas de iniciar sesión. Confirma que eres tú con un segundo paso.",
  "tf.key": "Usar mi llave de seguridad",
  "tf.totp": "Escribir un código de mi aplicación de autenticación",
  "tf.sms": "Enviar un código por SMS a mi teléfono",
  "tf.email": "Enviarme un código por correo electrónico",
  "tf.recovery": "Usar un código de recuperación",
  "tf.restart": "Cancelar y empezar de nuevo",
  "tf.codeTitle": "Escribe tu código",
  "tf.codeTotp":
    "Abre tu aplicación de autenticación y escribe el código de 6 dígitos que muestra para {site}.",
  "tf.codeSms": "Te enviamos un código por SMS. Escríbelo abajo.",
  "tf.codeEmail": "Te enviamos un código por correo electrónico. Escríbelo abajo.",
  "tf.codeRecovery":
    "Escribe uno de los códigos de recuperación que guardaste. Cada código funciona una sola vez.",
  "tf.codeApp": "Escribe el código para: {label}.",
  "tf.approvalTitle": "Aprueba el inicio de sesión",
  "tf.approvalIntro":
    "Te pedimos tu aprobación ({label}). Aprueba la solicitud allí y luego continúa aquí.",
  "tf.approvalContinue": "Ya lo aprobé, continuar",
  "tf.approvalWaiting": "Esperando tu aprobación\u2026",
  "tf.codeSubmit": "Verificar",
  "tf.otherWay": "Elegir otro método",
  "tf.remember":
    "No volver a preguntar en este navegador durante {days, plural, one {# día} other {# días}}",
  "tf.remembered": "Continuar: recordamos este navegador",
  "tf.enrolTitle": "Configura la verificación en dos pasos",
  "tf.enrolIntro":
    "Este sitio pide a todos un segundo paso después del primero. Elige cómo vas a confirmar que eres tú, configúralo y listo.",
  "tf.enrolTotp": "Configurar una aplicación de autenticación",
  "tf.enrolSms": "Enviar un código por SMS a mi teléfono",
  "tf.enrolEmail": "Enviarme un código por correo electrónico",
  "tf.enrolKey": "Usar una llave de seguridad",
  "tf.enrolNone":
    "Este sitio pide a todos un segundo paso, pero no se puede configurar ninguno al iniciar sesión. Pide ayuda al administrador del sitio.",
  "setupCode.title": "Escribe el código que te enviamos",
  "setupCode.sms": "Te enviamos un código por SMS a {to}. Escríbelo para activar este método.",
  "setupCode.email": "Te enviamos un código a {to}. Escríbelo para activar este método.",

  "account.title": "Inicio de sesión y seguridad",
  "account.keys": "Llaves de acceso y llaves de seguridad",
  "account.keysIntro":
    "Las llaves de acceso te permiten iniciar sesión sin contraseña. Las llaves de seguridad confirman que eres tú después de tu contraseña.",
  "account.keysPasskeys": "Llaves de acceso",
  "account.keysPasskeysIntro": "Las llaves de acceso te permiten iniciar sesión sin contraseña.",
  "account.keysSecurityKeys": "Llaves de seguridad",
  "account.keysSecurityKeysIntro":
    "Las llaves de seguridad confirman que eres tú después de tu contraseña.",
  "account.noKeys": "Aún no tienes llaves de acceso ni llaves de seguridad.",
  "account.usage.first": "Llave de acceso",
  "account.usage.secondary": "Segundo factor",
  "account.synced": "Sincronizada",
  "account.deviceBound": "Solo en este dispositivo",
  "account.syncedHint":
    "Con copia de seguridad en un gestor de contraseñas o una cuenta en la nube: tus otros dispositivos también la tienen",
  "account.deviceBoundHint":
    "Guardada solo en este autenticador: no se puede hacer una copia de seguridad",
  "account.notBackedUp": "Sin copia de seguridad",
  "account.createdBy": "Añadida por",
  "account.createdByUpgrade": "Tu gestor de contraseñas, cuando iniciaste sesión con tu contraseña",
  "account.notBackedUpHint":
    "Se puede sincronizar, pero ahora no tiene copia de seguridad: activa la sincronización en tu gestor de contraseñas",
  "account.onlyUnbackedKey":
    "Solo inicias sesión con una llave de acceso sin copia de seguridad. Si pierdes ese dispositivo, solo podrás volver a entrar recuperando la cuenta: añade otra llave de acceso o una contraseña.",
  "account.authenticator": "Autenticador",
  "account.unknownAuthenticator": "Autenticador desconocido",
  "account.authPlatform": "Integrado en un dispositivo (bloqueo de pantalla)",
  "account.authHybrid": "Un teléfono o una tablet",
  "account.authRoaming": "Llave de seguridad",
  "account.added": "Añadida",
  "account.lastUsed": "Último uso",
  "account.neverUsed": "Nunca",
  "account.rename": "Cambiar nombre",
  "account.renameLabel": "Nuevo nombre para {name}",
  "account.renameSubmit": "Guardar nombre",
  "account.delete": "Eliminar",
  "account.deleteLabel": "Eliminar {name}",
  "account.deleteConfirm": "¿Eliminar {name}? Ya no podrás usarla aquí.",
  "account.deleteLastSignIn":
    "¿Eliminar {name}? Es tu única forma de iniciar sesión: sin contraseña ni otra llave de acceso, no podrás volver a iniciar sesión (solo te quedará recuperar la cuenta por correo electrónico).",
  "account.deleteLastSignInCheck": "Entiendo que no podré iniciar sesión sin ella",
  "account.deleteOnlySecondFactor":
    "¿Eliminar {name}? Es tu único segundo factor: la verificación en dos pasos se desactivará y tus códigos de recuperación dejarán de funcionar.",
  "account.platformSecondWarning":
    "Una llave vinculada a este dispositivo se pierde con el dispositivo. Como único segundo factor, podría dejarte sin acceso: elige una llave de seguridad u otro dispositivo, o configura también una aplicación de autenticación.",
  "account.signIn.none":
    "No tienes forma de volver a iniciar sesión: ni contraseña ni llave de acceso. Añade una llave de acceso o establece una contraseña antes de que termine esta sesión.",
  "account.signIn.password": "Inicias sesión con tu contraseña.",
  "account.signIn.passkey": "Inicias sesión con tu llave de acceso.",
  "account.signIn.passkeys":
    "{count, plural, one {Inicias sesión con tu llave de acceso.} other {Inicias sesión con una de tus # llaves de acceso.}}",
  "account.signIn.both": "Inicias sesión con tu contraseña o con una llave de acceso.",
  "account.flagged":
    "Atención: el contador de esta llave retrocedió; puede que alguien la haya copiado.",
  "account.add": "Añadir una llave",
  "account.keyName": "Nombre",
  "account.keyNameHint":
    "Para distinguir tus llaves, p. ej., \u201cPortátil del trabajo\u201d. Si lo dejas en blanco, la llave recibe el nombre de su autenticador.",
  "account.usage": "Úsala para",
  "account.usageFirst": "Iniciar sesión sin contraseña (llave de acceso)",
  "account.usageSecondary": "Confirmar que soy yo después de mi contraseña (segundo factor)",
  "account.where": "¿Dónde está la llave?",
  "account.wherePlatform":
    "En este dispositivo (huella, reconocimiento facial o bloqueo de pantalla)",
  "account.whereCrossPlatform": "En una llave de seguridad (USB, NFC o Bluetooth)",
  "account.whereHybrid": "En un teléfono o una tablet (escanea un código QR)",
  "account.addSubmit": "Añadir llave",
  "account.addNeedsJs":
    "Para añadir una llave, necesitas JavaScript y un navegador compatible con llaves de acceso.",
  "account.twoFactor": "Verificación en dos pasos",
  "account.twoFactorOn": "Activada: después de tu contraseña, confirmas que eres tú con {methods}.",
  "account.twoFactorOff": "Desactivada: al iniciar sesión no hay un segundo paso.",
  "account.method.webauthn": "una llave de seguridad",
  "account.method.totp": "una aplicación de autenticación",
  "account.method.sms": "un SMS",
  "account.method.email": "un código por correo electrónico",
  "account.method.recovery": "un código de recuperación",
  "account.totp": "Aplicación de autenticación",
  "account.totpOn": "Configurada: al iniciar sesión, se te pide un código de tu aplicación.",
  "account.totpOff":
    "Usa una aplicación como Google Authenticator, 1Password o Aegis para obtener códigos.",
  "account.totpSetup": "Configurar una aplicación de autenticación",
  "account.totpReplace": "Reemplazar la aplicación de autenticación",
  "account.totpTurnOff": "Desactivar",
  "account.totpOffConfirm": "¿Desactivar los códigos de tu aplicación de autenticación?",
  "account.recovery": "Códigos de recuperación",
  "account.recoveryIntro":
    "Los códigos de recuperación te permiten entrar si pierdes tu segundo factor. Cada código funciona una sola vez.",
  "account.recoveryLeft": "Códigos sin usar: {count}.",
  "account.recoveryGenerate": "Generar nuevos códigos de recuperación",
  "account.recoveryConfirm":
    "¿Generar nuevos códigos de recuperación? Los actuales dejarán de funcionar.",
  "account.details": "Correo electrónico, contraseña y sesiones",
  "account.email": "Correo electrónico",
  "account.changeEmail": "Cambiar correo electrónico",
  "account.password": "Contraseña",
  "account.passwordOn": "Establecida: puedes iniciar sesión con ella.",
  "account.passwordOff": "No establecida.",
  "account.changePassword": "Cambiar contraseña",
  "account.setPassword": "Establecer una contraseña",
  "account.sessions": "Sesiones",
  "account.sessionsIntro": "Dispositivos con la sesión iniciada en tu cuenta.",
  "account.sessionsLink": "Ver dónde tienes la sesión iniciada",
  "account.thisSession": "Esta sesión: iniciada con {methods}.",
  "account.stale":
    "Para añadir, cambiar el nombre o eliminar llaves, necesitas haber iniciado sesión hace poco. Primero confirma que eres tú.",
  "account.staleAction": "Confirma que eres tú",

  "totp.title": "Configura una aplicación de autenticación",
  "totp.step1": "Escanea este código QR con tu aplicación de autenticación.",
  "totp.manual": "¿No puedes escanearlo? Escribe esta clave:",
  "totp.step2": "Para terminar, escribe el código de 6 dígitos que muestra la aplicación.",
  "totp.submit": "Activar",
  "totp.qrAlt": "Código QR para añadir {site} a una aplicación de autenticación",

  "recovery.title": "Tus códigos de recuperación",
  "recovery.intro":
    "Guarda estos códigos en un lugar seguro. Solo se muestran esta vez y cada uno funciona una sola vez. Los códigos anteriores ya no funcionan.",
  "recovery.copy": "Copiar códigos",
  "recovery.copied": "Copiados.",
  "recovery.download": "Descargar como texto",
  "recovery.done": "Ya los guardé",
  "recovery.fileHeader":
    "Códigos de recuperación de {site} ({email}). Cada código funciona una sola vez.",

  "reset.title": "Restablece tu contraseña",
  "reset.intro":
    "Escribe la dirección de correo electrónico de tu cuenta y te enviaremos un enlace para elegir una contraseña nueva.",
  "reset.submit": "Enviar el enlace",
  "reset.sent":
    "Si hay una cuenta con esa dirección, el enlace ya va en camino. Revisa tu bandeja de entrada (y la carpeta de spam); el enlace funciona una sola vez y caduca pronto.",
  "reset.newTitle": "Elige una contraseña nueva",
  "reset.newIntro": "Al restablecer tu contraseña, se cerrará tu sesión en todos los dispositivos.",
  "reset.newSubmit": "Guardar e iniciar sesión",
  "reset.lostKey": "¿Iniciabas sesión con una llave de acceso y la perdiste?",
  "reset.recover": "Recupera tu cuenta",

  "recover.title": "Recupera tu cuenta",
  "recover.intro":
    "¿Perdiste el dispositivo con tu llave de acceso? Escribe la dirección de correo electrónico de tu cuenta y te enviaremos un enlace para añadir una llave de acceso nueva.",
  "recover.submit": "Enviar el enlace",
  "recover.sent":
    "Si hay una cuenta con esa dirección, el enlace ya va en camino. Revisa tu bandeja de entrada (y la carpeta de spam); el enlace funciona una sola vez y caduca pronto.",
  "recover.landingTitle": "Añade una llave de acceso nueva",
  "recover.landingIntro":
    "Este enlace abre una sesión breve que solo puede añadir una llave de acceso nueva a tu cuenta. Después, inicia sesión con ella.",
  "recover.code": "Código de recuperación",
  "recover.codeHint":
    "Tu cuenta tiene la verificación en dos pasos: escribe uno de los códigos de recuperación que guardaste.",
  "recover.continue": "Continuar",
  "recover.keyTitle": "Añade tu nueva llave de acceso",
  "recover.keyIntro":
    "Crea una llave de acceso en este dispositivo (o usa una llave de seguridad). Después, inicia sesión con ella para usar tu cuenta.",
  "recover.keyName": "Nombre",
  "recover.keyNameHint": "Para distinguir tus llaves, p. ej., \u201cTeléfono nuevo\u201d.",
  "recover.keySubmit": "Añadir llave de acceso",
  "recover.needsJs":
    "Para añadir una llave de acceso, necesitas JavaScript y un navegador compatible con llaves de acceso.",
  "recover.noKeys":
    "Este sitio no usa llaves de acceso ni llaves de seguridad, así que no hay ninguna llave que añadir. Restablece tu contraseña.",
  "recover.usePassword": "¿Tu cuenta tiene contraseña?",
  "recover.reset": "Restablece tu contraseña",

  "confirm.title": "Confirma tu correo electrónico",
  "confirm.intro": "Confirma que esta es tu dirección de correo electrónico.",
  "confirm.submit": "Confirmar mi correo electrónico",
  "confirm.sent":
    "Te enviamos un enlace de confirmación. Ábrelo para confirmar tu dirección de correo electrónico.",
  "confirm.done": "Gracias, tu dirección de correo electrónico está confirmada.",
  "confirm.resendIntro": "¿No te llegó el enlace o caducó? Podemos enviarte uno nuevo.",
  "confirm.resend": "Enviar un enlace nuevo",
  "confirm.continue": "Continuar",

  "password.title": "Cambia tu contraseña",
  "password.setTitle": "Establece una contraseña",
  "password.intro": "Al cambiar tu contraseña, se cerrará tu sesión en tus otros dispositivos.",
  "password.current": "Contraseña actual",
  "password.currentHint": "O primero confirma que eres tú y deja esto en blanco.",
  "password.new": "Contraseña nueva",
  "password.submit": "Cambiar contraseña",
  "password.setSubmit": "Establecer contraseña",
  "password.changed": "Se cambió tu contraseña. Se cerraron tus otras sesiones.",
  "password.stale":
    "Para establecer una contraseña, necesitas haber iniciado sesión hace poco. Primero confirma que eres tú.",

  "email.title": "Cambia tu correo electrónico",
  "email.intro":
    "Tu correo electrónico es {email}. Enviaremos un enlace a la dirección nueva; el cambio se hará cuando lo abras.",
  "email.new": "Nueva dirección de correo electrónico",
  "email.submit": "Enviar el enlace",
  "email.sent":
    "Revisa la dirección nueva: te enviamos un enlace para confirmarla. También avisamos a tu dirección actual.",
  "email.confirmTitle": "Confirma tu nuevo correo electrónico",
  "email.confirmIntro": "¿Usar esta dirección para tu cuenta a partir de ahora?",
  "email.confirmSubmit": "Confirmar la dirección nueva",
  "email.changed": "Se cambió tu dirección de correo electrónico.",
  "email.stale":
    "Para cambiar tu correo electrónico, necesitas haber iniciado sesión hace poco. Primero confirma que eres tú.",

  "sessions.title": "Dónde tienes la sesión iniciada",
  "sessions.intro":
    "Estos dispositivos tienen la sesión iniciada en tu cuenta. Cierra la sesión de los que no reconozcas.",
  "sessions.current": "Este dispositivo",
  "sessions.unknownDevice": "Dispositivo desconocido",
  "sessions.lastSeen": "Última actividad",
  "sessions.signedIn": "Inicio de sesión",
  "sessions.ip": "Dirección IP",
  "sessions.method": "Sesión iniciada con",
  "sessions.recovery": "Sesión de recuperación",
  "sessions.revoke": "Cerrar sesión",
  "sessions.revoked": "Se cerró esa sesión.",
  "sessions.everywhere": "Cerrar sesión en todas partes",
  "sessions.everywhereIntro": "Cierra todas las sesiones, incluida esta.",
  "sessions.everywhereConfirm": "¿Cerrar sesión en todos los dispositivos, incluido este?",
  "sessions.stale":
    "Para cerrar sesión en otros dispositivos, necesitas haber iniciado sesión hace poco. Primero confirma que eres tú.",

  "amr.password": "contraseña",
  "amr.passkeyVerified": "llave de acceso con huella o PIN",
  "amr.passkey": "llave de acceso",
  "amr.securityKey": "llave de seguridad",
  "amr.totp": "código de la aplicación de autenticación",
  "amr.sms": "código enviado por SMS",
  "amr.email": "enlace o código enviado por correo electrónico",
  "amr.recovery": "código de recuperación",
  "amr.remembered": "navegador recordado",
  "amr.pin": "PIN",
  "amr.approval": "aprobación en otro dispositivo",
  "amr.phone": "llamada telefónica",
  "amr.signUp": "registro de la cuenta",

  "common.confirmFirst": "Confirma que eres tú",
  "common.back": "Volver a tu cuenta",
  "common.signIn": "Iniciar sesión",

  "done.signedOut": "Se cerró tu sesión.",
  "done.welcome":
    "Tu cuenta está lista. Añade una llave de acceso para iniciar sesión sin contraseña la próxima vez.",
  "done.keyAdded": "Llave añadida.",
  "done.keyRenamed": "Se cambió el nombre de la llave.",
  "done.keyDeleted": "Llave eliminada.",
  "done.keyDeletedTwoFactorOff":
    "Llave eliminada. Era tu único segundo factor, así que la verificación en dos pasos se desactivó y tus códigos de recuperación ya no funcionan.",
  "done.passkeyAdded": "Se añadió tu llave de acceso. Úsala para iniciar sesión la próxima vez.",
  "done.passkeyUpgraded":
    "Tu gestor de contraseñas guardó una llave de acceso para esta cuenta. La próxima vez, inicia sesión con ella.",
  "done.keyDeletedSignedOut":
    "Llave eliminada. Habías iniciado sesión con ella, así que se cerró tu sesión: inicia sesión de otra forma.",
  "done.factorRemovedSignedOut":
    "Segundo factor eliminado. Habías iniciado sesión con él, así que se cerró tu sesión: vuelve a iniciar sesión.",
  "done.verified": "Gracias, ya confirmaste que eres tú.",
  "done.twoFactorOn": "La verificación en dos pasos está activada.",
  "done.pendingExpired": "Ese inicio de sesión caducó. Vuelve a iniciar sesión.",
  "done.stepExpired": "Pasó demasiado tiempo. Inténtalo de nuevo.",
  "done.recovered": "Se añadió tu nueva llave. Inicia sesión con ella para usar tu cuenta.",

  "error.INVALID_INPUT": "Revisa lo que escribiste: {detail}",
  "error.INVALID_CREDENTIALS":
    "El correo electrónico, el nombre de usuario o la contraseña no son correctos.",
  "error.EMAIL_TAKEN": "Ya existe una cuenta con ese correo electrónico. ¿Quieres iniciar sesión?",
  "error.USERNAME_TAKEN": "Ese nombre de usuario ya está en uso. Elige otro.",
  "error.PASSWORD_REQUIRED": "Elige una contraseña.",
  "error.PASSWORD_TOO_SHORT":
    "La contraseña debe tener al menos {min, plural, one {# carácter} other {# caracteres}}.",
  "error.PASSWORD_NOT_SET":
    "Esta cuenta no tiene contraseña. Usa una llave de acceso o una llave de seguridad.",
  "error.CSRF_FAILED": "Este formulario caducó. Inténtalo de nuevo.",
  "error.FRESHNESS_REQUIRED":
    "Por tu seguridad, primero confirma que eres tú y, después, inténtalo de nuevo.",
  "error.RATE_LIMITED": "Demasiados intentos. Espera un momento e inténtalo de nuevo.",
  "error.STATE_INVALID": "Este paso caducó o ya se usó. Empieza de nuevo.",
  "error.STATE_EXPIRED": "Este paso caducó. Empieza de nuevo.",
  "error.ACCOUNT_INACTIVE": "Esta cuenta está desactivada.",
  "error.ACCOUNT_LOCKED":
    "Esta cuenta está bloqueada. Inténtalo más tarde o pide al administrador del sitio que la desbloquee.",
  "error.WEBAUTHN_NAME_TAKEN": "Ya tienes una llave con ese nombre. Elige otro nombre.",
  "error.WEBAUTHN_KEY_LIMIT":
    "Ya tienes el número máximo de llaves que permite una cuenta aquí. Primero elimina una que ya no uses.",
  "error.WEBAUTHN_NAME_INVALID":
    "Ponle a la llave un nombre de {max, plural, one {# carácter} other {# caracteres}} como máximo.",
  "error.WEBAUTHN_CREDENTIAL_NOT_FOUND": "Esa llave ya no existe.",
  "error.WEBAUTHN_BACKUP_ELIGIBILITY_CHANGED":
    "Esta llave ya no coincide con la que registraste. Usa otra llave o inicia sesión de otra forma.",
  "error.AAL_REQUIRED": "Para cambiar esto, primero inicia sesión con tu segundo factor.",
  "error.REAUTHENTICATION_REQUIRED":
    "Hace tiempo que no confirmas que eres tú. Confírmalo con tu llave de acceso o vuelve a iniciar sesión.",
  "error.TWO_FACTOR_CODE_INVALID": "Ese código no es correcto. Revísalo e inténtalo de nuevo.",
  "error.TWO_FACTOR_CODE_USED": "Ese código ya se usó. Espera al siguiente.",
  "error.TWO_FACTOR_CODE_EXPIRED": "Ese código caducó. Pide uno nuevo.",
  "error.TWO_FACTOR_APPROVAL_PENDING":
    "Todavía no recibimos tu aprobación. Aprueba el inicio de sesión y luego continúa.",
  "error.TWO_FACTOR_DENIED": "No se aprobó el inicio de sesión.",
  "error.TWO_FACTOR_DEVICE_NOT_REMEMBERED":
    "Ya no recordamos este navegador. Elige otra forma de confirmar que eres tú.",
  "error.RECOVERY_CODE_INVALID": "Ese código de recuperación no es correcto o ya se usó.",
  "error.RECOVERY_CODE_REQUIRED": "Escribe también uno de tus códigos de recuperación.",
  "error.TOKEN_INVALID": "Este enlace no es válido o ya se usó. Pide uno nuevo.",
  "error.TOKEN_EXPIRED": "Este enlace caducó. Pide uno nuevo.",
  "error.EMAIL_NOT_CONFIRMED":
    "Primero confirma tu dirección de correo electrónico: abre el enlace que te enviamos.",
  "error.SESSION_LIMITED":
    "Esta sesión de recuperación solo puede añadir una llave de acceso nueva.",
  "error.SESSION_NOT_FOUND": "Esa sesión ya terminó.",
  "error.LAST_SIGN_IN_METHOD":
    "Es tu única forma de iniciar sesión. Primero añade otra llave de acceso o establece una contraseña, o confirma que quieres eliminarla.",

  "client.unsupported":
    "Este navegador no puede usar llaves de acceso ni llaves de seguridad aquí. Usa otra forma de iniciar sesión.",
  "client.cancelled":
    "No se cambió nada: se canceló la solicitud o tu dispositivo no pudo confirmar que eres tú.",
  "client.timedOut":
    "Ninguna llave respondió a tiempo. Comprueba que tu llave de seguridad esté conectada o que tu dispositivo esté desbloqueado e inténtalo de nuevo.",
  "client.aborted": "Se detuvo la solicitud.",
  "client.alreadyRegistered": "Esta llave ya está registrada en tu cuenta.",
  "client.security":
    "La dirección de esta página no coincide con la configuración de llaves de acceso del sitio.",
  "client.notSupported":
    "Esta llave no se puede usar aquí. Prueba con otra llave u otro dispositivo.",
  "client.authenticator": "Tu llave devolvió un error. Inténtalo de nuevo o usa otra llave.",
  "client.network":
    "No se pudo conectar con el servidor. Comprueba tu conexión e inténtalo de nuevo.",
  "client.unknownCredential":
    "Esa llave de acceso ya no está registrada aquí. Puede que se haya eliminado; usa otra forma de iniciar sesión.",
  "client.freshness": "Por tu seguridad, primero confirma que eres tú.",
  "client.reauthenticate":
    "Hace tiempo que no confirmas que eres tú. Confírmalo con tu llave de acceso o vuelve a iniciar sesión.",
  "client.unauthenticated": "Se cerró tu sesión. Vuelve a iniciar sesión para continuar.",
  "client.stateExpired": "Pasó demasiado tiempo. Inténtalo de nuevo.",
  "client.nameTaken": "Ya tienes una llave con ese nombre. Elige otro nombre.",
  "client.credentialExists": "Esta llave ya está registrada.",
  "client.usageNotAllowed": "Esta llave no se puede usar para esto.",
  "client.rateLimited": "Demasiados intentos. Espera un momento e inténtalo de nuevo.",
  "client.lastSignInMethod":
    "Es tu única forma de iniciar sesión. Primero añade otra llave de acceso o establece una contraseña, o confirma que quieres eliminarla.",
  "client.server": "Algo salió mal. Inténtalo de nuevo.",
  "client.working": "Esperando a tu llave\u2026",
  "client.keyAdded": "Llave añadida.",
  "client.passkeyUpgraded":
    "Tu gestor de contraseñas guardó una llave de acceso para esta cuenta. La próxima vez, inicia sesión con ella.",

  "api.INVALID_INPUT": "Revisa lo que enviaste.",
  "api.MALFORMED_JSON": "El cuerpo de la solicitud no es JSON válido.",
  "api.UNSUPPORTED_MEDIA_TYPE": "Envía application/json o application/x-www-form-urlencoded.",
  "api.BODY_TOO_LARGE": "El cuerpo de la solicitud es demasiado grande.",
  "api.INVALID_CREDENTIALS":
    "El correo electrónico, el nombre de usuario o la contraseña no son correctos.",
  "api.UNAUTHENTICATED": "Primero inicia sesión.",
  "api.BEARER_TOKEN_INVALID": "Este token ya no es válido; vuelve a iniciar sesión.",
  "api.BEARER_TOKENS_DISABLED":
    "Este servidor no emite tokens de portador (bearer); usa la cookie de sesión.",
  "api.AAL_REQUIRED":
    "Esto requiere una sesión con un nivel de autenticación más alto; inicia sesión con un segundo factor.",
  "api.REAUTHENTICATION_REQUIRED":
    "Hace tiempo que no confirmas que eres tú: vuelve a autenticarte con tu llave de acceso o vuelve a iniciar sesión.",
  "api.FRESHNESS_REQUIRED":
    "Confirma que eres tú: vuelve a verificarlo con tu contraseña o una llave y, después, inténtalo de nuevo.",
  "api.CSRF_FAILED": "Se rechazó esta solicitud porque procede de otro sitio.",
  "api.ACCOUNT_INACTIVE": "Esta cuenta está desactivada.",
  "api.ACCOUNT_LOCKED":
    "Esta cuenta está bloqueada. Inténtalo más tarde o pide al administrador del sitio que la desbloquee.",
  "api.PASSWORD_NOT_SET": "Esta cuenta no tiene contraseña; usa una llave.",
  "api.EMAIL_TAKEN": "Ya existe una cuenta con ese correo electrónico.",
  "api.USERNAME_TAKEN": "Ese nombre de usuario ya está en uso.",
  "api.PASSWORD_REQUIRED": "Se requiere una contraseña.",
  "api.PASSWORD_TOO_SHORT": "La contraseña es demasiado corta.",
  "api.STATE_INVALID": "No se reconoce esta solicitud o ya se usó; empieza de nuevo.",
  "api.STATE_EXPIRED": "Esta solicitud caducó; empieza de nuevo.",
  "api.WEBAUTHN_DISABLED": "El inicio de sesión con llave está desactivado.",
  "api.WEBAUTHN_VERIFICATION_FAILED": "No se pudo verificar la respuesta de la llave.",
  "api.WEBAUTHN_UNKNOWN_CREDENTIAL": "Esta llave no está registrada aquí.",
  "api.WEBAUTHN_CREDENTIAL_EXISTS": "Esta llave ya está registrada.",
  "api.WEBAUTHN_USER_HANDLE_MISMATCH": "La llave respondió para otra cuenta.",
  "api.WEBAUTHN_USAGE_NOT_ALLOWED": "Esta llave no se puede usar aquí.",
  "api.WEBAUTHN_COUNTER_REGRESSION":
    "El contador de firmas de esta llave retrocedió; puede que alguien la haya clonado.",
  "api.WEBAUTHN_NAME_TAKEN": "Ya tienes una llave con ese nombre.",
  "api.WEBAUTHN_KEY_LIMIT": "Esta cuenta ya tiene el número máximo de llaves; primero elimina una.",
  "api.PASSKEY_UPGRADE_UNAVAILABLE":
    "Aquí no se ofrece una llave de acceso automáticamente; añade una en la página de tu cuenta.",
  "api.WEBAUTHN_NAME_INVALID": "Ponle un nombre a la llave.",
  "api.WEBAUTHN_CREDENTIAL_NOT_FOUND": "No existe esa llave.",
  "api.WEBAUTHN_BACKUP_ELIGIBILITY_CHANGED":
    "La posibilidad de hacer copia de seguridad de esta llave no coincide con la que tenía al registrarla.",
  "api.TWO_FACTOR_CODE_INVALID": "Ese código no es correcto.",
  "api.TWO_FACTOR_CODE_USED": "Ese código ya se usó; espera al siguiente.",
  "api.TWO_FACTOR_CODE_EXPIRED": "El código caducó; pide uno nuevo.",
  "api.TWO_FACTOR_NOT_ENROLLED": "Ese segundo factor no está configurado.",
  "api.TWO_FACTOR_METHOD_NOT_AVAILABLE": "Ese segundo factor no está disponible aquí.",
  "api.TWO_FACTOR_REQUIRED":
    "Aquí todas las cuentas necesitan un segundo factor; añade otro antes de eliminar este.",
  "api.TWO_FACTOR_DELIVERY_FAILED": "No se pudo enviar el código.",
  "api.TWO_FACTOR_APPROVAL_PENDING": "Esperando tu aprobación.",
  "api.TWO_FACTOR_DENIED": "No se aprobó el inicio de sesión.",
  "api.TWO_FACTOR_DEVICE_NOT_REMEMBERED":
    "No recordamos este dispositivo; confirma que eres tú con un segundo factor.",
  "api.CODE_SIGNIN_DISABLED": "Aquí no se puede iniciar sesión con un código enviado por esta vía.",
  "api.CODE_SIGNIN_INVALID": "Ese código no es correcto o ya no es válido; pide uno nuevo.",
  "api.CODE_SIGNIN_NOT_ALLOWED":
    "El segundo factor de esta cuenta es el mismo correo o teléfono al que llegó el código; inicia sesión con tu contraseña o tu llave de acceso.",
  "api.RECOVERY_CODE_INVALID": "Ese código de recuperación no es correcto o ya se usó.",
  "api.ROAMING_FACTOR_REQUIRED":
    "Es tu último segundo factor que funciona desde cualquier dispositivo; primero añade otro (una aplicación de autenticación, un teléfono o una llave de seguridad).",
  "api.TOKEN_INVALID": "Este enlace no es válido o ya se usó; pide uno nuevo.",
  "api.TOKEN_EXPIRED": "Este enlace caducó; pide uno nuevo.",
  "api.EMAIL_NOT_CONFIRMED":
    "Primero confirma tu dirección de correo electrónico: abre el enlace que te enviamos o pide uno nuevo.",
  "api.RECOVERY_CODE_REQUIRED":
    "Esta cuenta tiene la verificación en dos pasos: escribe también uno de tus códigos de recuperación.",
  "api.SESSION_LIMITED":
    "Esta sesión de recuperación solo puede registrar una llave nueva; inicia sesión con ella para hacer cualquier otra cosa.",
  "api.SESSION_NOT_FOUND": "No tienes ninguna sesión con ese identificador.",
  "api.LAST_SIGN_IN_METHOD":
    "Es tu única forma de iniciar sesión. Primero añade otra llave de acceso o establece una contraseña, o confirma que quieres eliminarla.",
  "api.USER_NOT_FOUND": "No existe esa cuenta.",
  "api.RATE_LIMITED": "Demasiados intentos; inténtalo más tarde.",
  "api.NOT_FOUND": "No existe esa ruta.",
  "api.STORE_UNAVAILABLE": "El almacén de autenticación no está disponible; inténtalo de nuevo.",
  "api.INTERNAL": "Algo salió mal; inténtalo de nuevo.",
} as const;

/** Emails compare case-insensitively and without surrounding space; NFC so look-alikes agree. */
export function normaliseEmail(email: string): string {
  return email.normalize("NFC").trim().toLowerCase();
}

export function normaliseUsername(username: string): string {
  return username.normalize("NFKC").trim().toLowerCase();
}

/** An identity is an email when it contains "@", otherwise a username. */
export function isEmail(identity: string): boolean {
  return identity.includes("@");
}

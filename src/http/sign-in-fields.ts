import { z } from "zod";

/** Digits typed by a person: spaces and dashes ("123 456") are dropped before checking. */
export const code = z
  .string()
  .max(32)
  .transform((value) => value.replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^\d{6,10}$/, "must be the digits of the code"));

/** A checkbox: JSON sends a boolean, a form sends "on" (or nothing). */
export const checkbox = z
  .union([z.boolean(), z.enum(["true", "false", "on"])])
  .optional()
  .transform((value) => value === true || value === "true" || value === "on");

/**
 * "Remember me" on a sign-in: true (or absent) for the long session, false for a browser
 * session. A form sends a hidden "false" before its checkbox of the same name, so an unticked
 * box says false (the last value of a name wins) instead of saying nothing.
 */
export const remember = z
  .union([z.boolean(), z.enum(["true", "false", "on", "off"])])
  .optional()
  .describe(
    "Remember me: true or absent for the long session (session.lifetime), false for a browser session (session.browserLifetime, a cookie without Max-Age)",
  )
  .transform((value) =>
    value === undefined ? true : value === true || value === "true" || value === "on",
  );

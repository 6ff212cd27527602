import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";

/** A new password's length rule (`accounts.passwordMinLength`); the maximum is checked at the edge. */
export function assertPasswordLength(ctx: KeywardContext, password: string): void {
  const { passwordMinLength } = ctx.config.accounts;
  if (password.length < passwordMinLength) {
    throw new KeywardError(
      ErrorCode.PASSWORD_TOO_SHORT,
      `The password must have at least ${passwordMinLength} characters.`,
    );
  }
}

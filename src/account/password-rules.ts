import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";

/** A new password's length rule (`accounts.passwordMinLength`); the maximum is checked at the edge. */
export function assertPasswordLength(ctx: Pick<KeywardContext, "config">, password: string): void {
  const { passwordMinLength } = ctx.config.accounts;
  if (password.length < passwordMinLength) {
    throw new KeywardError(
      ErrorCode.PASSWORD_TOO_SHORT,
      `The password must have at least ${passwordMinLength} characters.`,
    );
  }
}

/** Both length rules, for callers with no HTTP edge to check the maximum (admin operations). */
export function assertPasswordRules(ctx: Pick<KeywardContext, "config">, password: string): void {
  assertPasswordLength(ctx, password);
  const { passwordMaxLength } = ctx.config.accounts;
  if (password.length > passwordMaxLength) {
    throw new KeywardError(
      ErrorCode.INVALID_INPUT,
      `The password may have at most ${passwordMaxLength} characters.`,
    );
  }
}

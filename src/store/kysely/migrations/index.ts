import type { Migration } from "kysely";
import { core } from "./0001_core.js";
import { webauthnCredentials } from "./0002_webauthn_credentials.js";
import { secondFactors } from "./0003_second_factors.js";
import { accountTokens } from "./0004_account_tokens.js";
import { sessionFactors } from "./0005_session_factors.js";
import { securityEpoch } from "./0006_security_epoch.js";
import { sessionAal2At } from "./0007_session_aal2_at.js";
import { userVerifyingKeys } from "./0008_user_verifying_keys.js";
import { sessionPersistent } from "./0009_session_persistent.js";
import { userLock } from "./0010_user_lock.js";

/** Every migration, by name; names sort in the order they must run. Never edit a shipped one. */
export const migrations: Record<string, Migration> = {
  "0001_core": core,
  "0002_webauthn_credentials": webauthnCredentials,
  "0003_second_factors": secondFactors,
  "0004_account_tokens": accountTokens,
  "0005_session_factors": sessionFactors,
  "0006_security_epoch": securityEpoch,
  "0007_session_aal2_at": sessionAal2At,
  "0008_user_verifying_keys": userVerifyingKeys,
  "0009_session_persistent": sessionPersistent,
  "0010_user_lock": userLock,
};

import type { Generated } from "kysely";

/** Table shapes as stored: snake_case, booleans as 0/1, times as epoch ms, JSON as text. */
export interface UsersTable {
  id: string;
  email: string;
  username: string | null;
  password_hash: string | null;
  webauthn_user_handle: string;
  active: number;
  tf_primary_method: string | null;
  tf_totp_secret: string | null;
  tf_totp_last_step: number | null;
  tf_phone: string | null;
  /** Added by 0003: email codes enrolled (0/1). */
  tf_email_enabled: Generated<number>;
  /** Added by 0003: bumped at every second-factor change (revokes remembered devices). */
  tf_revision: Generated<number>;
  created_at: number;
  /** Added by 0004: when the address was confirmed (epoch ms), null until then. */
  email_confirmed_at: number | null;
  /** Added by 0006: bumped whenever who owns the account is re-established (User.securityEpoch). */
  security_epoch: Generated<number>;
  /** Added by 0009: when the account was locked (epoch ms), null while it is not. */
  locked_at: number | null;
  /** Added by 0009: when the lock lifts by itself (epoch ms), null for one an unlock lifts. */
  locked_until: number | null;
  /** Added by 0009: why it was locked (the policy's or administrator's words). */
  lock_reason: string | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  fresh_at: number;
  amr: string;
  aal: number;
  uv: number;
  ip: string | null;
  user_agent: string | null;
  /** Added by 0004: "recovery" for a limited session, null for a full one. */
  limited: string | null;
  /** Added by 0007: when the session last proved AAL2 (epoch ms), null if it never did. */
  aal2_at: number | null;
  /** Added by 0005: the FactorRef of the first factor that earned the session. */
  first_factor: string | null;
  /** Added by 0005: the FactorRef of the second factor, null for a one-step sign-in. */
  second_factor: string | null;
  /** Added by 0009: 1 for a long session ("remember me"), 0 for a browser session. */
  persistent: number;
}

export interface CeremoniesTable {
  id_hash: string;
  kind: string;
  user_id: string | null;
  session_id: string | null;
  challenge: string | null;
  usage: string | null;
  name: string | null;
  data: string;
  expires_at: number;
}

export interface EventsTable {
  id: string;
  user_id: string | null;
  type: string;
  at: number;
  ip: string | null;
  detail: string;
}

export interface WebauthnCredentialsTable {
  id: string;
  user_id: string;
  credential_id: string;
  public_key: string;
  sign_count: number;
  transports: string;
  backup_eligible: number;
  backup_state: number;
  device_type: string;
  aaguid: string;
  attestation_format: string;
  name: string;
  usage: string;
  created_at: number;
  last_used_at: number | null;
  flags: string;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: number;
  used_at: number | null;
}

export interface OneTimeCodesTable {
  id: string;
  user_id: string;
  bound_to: string;
  channel: string;
  code_hash: string;
  destination: string;
  attempts: number;
  expires_at: number;
  created_at: number;
}

export interface RateLimitsTable {
  key: string;
  count: number;
  reset_at: number;
}

/** Added by 0004: emailed single-use tokens, stored as SHA-256 hashes. */
export interface AccountTokensTable {
  id_hash: string;
  user_id: string;
  purpose: string;
  data: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  ceremonies: CeremoniesTable;
  events: EventsTable;
  webauthn_credentials: WebauthnCredentialsTable;
  recovery_codes: RecoveryCodesTable;
  one_time_codes: OneTimeCodesTable;
  rate_limits: RateLimitsTable;
  account_tokens: AccountTokensTable;
}

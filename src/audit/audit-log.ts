/** The events the audit log keeps. */
export const AUDIT_ACTIONS = [
  'sign_in.succeeded',
  'sign_in.failed',
  'sign_in.refused',
  'sign_up',
  'password.changed',
  'account.deleted',
  'api_key.saved',
  'api_key.removed',
  'api_token.created',
  'api_token.revoked',
  'admin.role_changed',
  'admin.user_disabled',
  'admin.user_enabled',
  'admin.user_deleted',
  'admin.password_change_forced',
  'admin.invite_created',
  'admin.invite_revoked',
  'admin.user_budget_changed',
  'admin.user_budget_cleared',
  'policy.signup_changed',
  'policy.budget_changed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Someone an entry names: the account's id (null when there is none) and its e-mail as it was. */
export interface AuditParty {
  id: string | null;
  email: string | null;
}

/** Small, flat and never secret: ids, e-mails, names of roles and policies, counts. */
export type AuditDetail = Record<string, string | number | boolean | null | string[]>;

export interface AuditEvent {
  action: AuditAction;
  actor?: AuditParty | null;
  target?: AuditParty | null;
  /** The client's address. */
  address?: string | null;
  detail?: AuditDetail;
}

export interface AuditRecord {
  id: string;
  at: Date;
  action: string;
  actorId: string | null;
  actorEmail: string | null;
  targetId: string | null;
  targetEmail: string | null;
  address: string | null;
  detail: Record<string, unknown>;
}

export interface AuditFilter {
  action?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  /** Entries older than this one (its id). */
  before?: string;
  limit: number;
}

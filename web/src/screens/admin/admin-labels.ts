// How the Admin screen names roles, account states, invites and audit actions.
import type { AdminUser, Invite } from '../../api/admin';

export const ROLE_LABELS = { admin: 'Administrator', user: 'User' } as const;

export function accountState(user: AdminUser): { label: string; tone: 'ok' | 'muted' | 'danger' | 'warn' } {
  if (user.disabledAt) return { label: 'Disabled', tone: 'danger' };
  if (user.mustChangePassword) return { label: 'Must change password', tone: 'warn' };
  return { label: 'Active', tone: 'ok' };
}

export function inviteState(invite: Invite, now = Date.now()): string {
  if (invite.revokedAt) return 'Revoked';
  if (invite.uses >= invite.maxUses) return 'Used up';
  if (new Date(invite.expiresAt).getTime() <= now) return 'Expired';
  return 'Active';
}

export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  'sign_in.succeeded': 'Signed in',
  'sign_in.failed': 'Sign-in failed',
  'sign_in.refused': 'Sign-in refused',
  sign_up: 'Signed up',
  'password.changed': 'Password changed',
  'account.deleted': 'Account deleted',
  'api_key.saved': 'API key saved',
  'api_key.removed': 'API key removed',
  'admin.role_changed': 'Role changed',
  'admin.user_disabled': 'Account disabled',
  'admin.user_enabled': 'Account enabled',
  'admin.user_deleted': 'Account deleted by an administrator',
  'admin.password_change_forced': 'Password change required',
  'admin.invite_created': 'Invite created',
  'admin.invite_revoked': 'Invite revoked',
  'policy.signup_changed': 'Sign-up policy changed',
};

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action;
}

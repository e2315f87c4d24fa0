// How the Admin screen names roles, account states, invites and audit actions.
import type { AdminUser, Invite } from '../../api/admin';
import { admin as text } from '../../strings/admin';

export const ROLE_LABELS = { admin: text.roleAdmin, user: text.roleUser } as const;

export function accountState(user: AdminUser): { label: string; tone: 'ok' | 'muted' | 'danger' | 'warn' } {
  if (user.disabledAt) return { label: text.stateDisabled, tone: 'danger' };
  if (user.mustChangePassword) return { label: text.stateMustChange, tone: 'warn' };
  return { label: text.stateActive, tone: 'ok' };
}

export function inviteState(invite: Invite, now = Date.now()): string {
  if (invite.revokedAt) return text.inviteRevoked;
  if (invite.uses >= invite.maxUses) return text.inviteUsedUp;
  if (new Date(invite.expiresAt).getTime() <= now) return text.inviteExpired;
  return text.inviteActive;
}

export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = text.auditActions;

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action;
}

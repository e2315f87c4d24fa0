// Typed calls for the administrators' routes (/api/admin/*); loaded with the
// Admin screen only.
import { requestJson, requestPage, withQuery, type Page } from './http';
import type { components } from './schema';
import type { Confirmation } from './types';

type Schemas = components['schemas'];

export type AdminUser = Schemas['AdminUserResponse'];
export type Role = AdminUser['role'];
export type SignupPolicy = Schemas['SignupPolicyResponse'];
export type SignupPolicyName = SignupPolicy['policy'];
export type Invite = Schemas['InviteResponse'];
export type CreatedInvite = Schemas['CreatedInviteResponse'];
export type AuditEntry = Schemas['AuditEntryResponse'];
export type AuditPage = Schemas['AuditPageResponse'];

export interface AuditFilter {
  action?: string;
  actorId?: string;
  from?: string;
  to?: string;
  before?: string;
  limit?: number;
}

const id = (value: string) => encodeURIComponent(value);

export const adminUsers = {
  list: (query: { search?: string; limit: number; offset: number }): Promise<Page<AdminUser>> =>
    requestPage<AdminUser>(withQuery('/api/admin/users', query)),
  get: (userId: string) => requestJson<AdminUser>('GET', `/api/admin/users/${id(userId)}`),
  setRole: (userId: string, role: Role) => requestJson<AdminUser>('PATCH', `/api/admin/users/${id(userId)}/role`, { body: { role } }),
  disable: (userId: string) => requestJson<AdminUser>('POST', `/api/admin/users/${id(userId)}/disable`),
  enable: (userId: string) => requestJson<AdminUser>('POST', `/api/admin/users/${id(userId)}/enable`),
  requirePasswordChange: (userId: string) => requestJson<AdminUser>('POST', `/api/admin/users/${id(userId)}/require-password-change`),
  remove: (userId: string) => requestJson<Confirmation>('DELETE', `/api/admin/users/${id(userId)}`),
};

export const adminSignup = {
  policy: () => requestJson<SignupPolicy>('GET', '/api/admin/signup-policy'),
  setPolicy: (policy: SignupPolicyName, domains?: string[]) =>
    requestJson<SignupPolicy>('PUT', '/api/admin/signup-policy', { body: { policy, ...(domains ? { domains } : {}) } }),
  invites: (query: { limit: number; offset: number }) => requestJson<Invite[]>('GET', withQuery('/api/admin/invites', query)),
  createInvite: (body: { maxUses: number; expiresInHours: number }) => requestJson<CreatedInvite>('POST', '/api/admin/invites', { body }),
  revokeInvite: (inviteId: string) => requestJson<Invite>('DELETE', `/api/admin/invites/${id(inviteId)}`),
};

export const adminAudit = {
  search: (filter: AuditFilter) => requestJson<AuditPage>('GET', withQuery('/api/admin/audit', { ...filter })),
};

/** The address of the register screen with an invite's token filled in. */
export function inviteLink(token: string): string {
  return `${window.location.origin}/register?invite=${encodeURIComponent(token)}`;
}

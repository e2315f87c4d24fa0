// Budgets: the installation's policy and a user's own limits (administrators),
// and where the signed-in user stands (carried by GET /api/usage and /api/settings).
import { requestJson } from './http';
import type { components } from './schema';

type Schemas = components['schemas'];

export type BudgetPolicy = Schemas['BudgetPolicyDto'];
export type BudgetLimits = Schemas['BudgetLimitsDto'];
export type SharedKeyPolicy = Schemas['SharedKeyPolicyDto'];
export type UserBudget = Schemas['UserBudgetResponse'];
export type BudgetStatus = Schemas['BudgetStatusResponse'];

/** Tool types the shared key may be limited to. */
export const SHARED_KEY_TOOLS = [
  { value: 'file_search', label: 'File search' },
  { value: 'web_search', label: 'Web search' },
  { value: 'code_interpreter', label: 'Code interpreter' },
] as const;

const id = (value: string) => encodeURIComponent(value);

export const adminBudgets = {
  policy: () => requestJson<BudgetPolicy>('GET', '/api/admin/budgets'),
  setPolicy: (policy: BudgetPolicy) => requestJson<BudgetPolicy>('PUT', '/api/admin/budgets', { body: policy }),
  user: (userId: string) => requestJson<UserBudget>('GET', `/api/admin/users/${id(userId)}/budget`),
  setUser: (userId: string, limits: BudgetLimits) => requestJson<UserBudget>('PUT', `/api/admin/users/${id(userId)}/budget`, { body: limits }),
  clearUser: (userId: string) => requestJson<UserBudget>('DELETE', `/api/admin/users/${id(userId)}/budget`),
};

/** A limit field's text: empty for no limit. */
export function limitText(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/** A limit from its field's text: empty is no limit; anything else must be a number (NaN is left for the server to refuse). */
export function limitValue(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : Number(trimmed);
}

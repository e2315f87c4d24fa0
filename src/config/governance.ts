import { ConfigError, type EnvReader } from './env-reader.js';

export type SignupPolicyName = 'open' | 'invite' | 'domain' | 'closed';
export const SIGNUP_POLICIES: readonly SignupPolicyName[] = ['open', 'invite', 'domain', 'closed'];

/** At most this many entries in ADMIN_EMAILS and SIGNUP_DOMAINS, and in a domain list set at run time. */
export const MAX_LISTED = 200;

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** True for a lower-case DNS name such as example.org. */
export function isEmailDomain(value: string): boolean {
  return DOMAIN.test(value);
}

/** Who administers the installation, who may sign up, and how long the audit log is kept. */
export interface GovernanceConfig {
  /** Accounts with these e-mails (lower-case) are administrators, from sign-up or their next sign-in. */
  adminEmails: string[];
  /** The sign-up policy an installation starts with; administrators change it at run time (kept in the database). */
  initialSignupPolicy: SignupPolicyName;
  /** The e-mail domains accepted under the `domain` policy at first start. */
  initialSignupDomains: string[];
  /** Invites not yet expired, used up or revoked, at most, at once. */
  maxActiveInvites: number;
  /** The longest an invite may stay valid. */
  inviteMaxDays: number;
  /** Days an audit entry is kept; 0: forever. */
  auditRetentionDays: number;
  /** How often this instance purges audit entries past the retention (0: not by this instance). */
  auditSweepIntervalSeconds: number;
}

function boundedList(env: EnvReader, name: string): string[] {
  const items = env.list(name).map((item) => item.toLowerCase());
  if (items.length > MAX_LISTED) throw new ConfigError(`${name} lists at most ${MAX_LISTED} entries`);
  return [...new Set(items)];
}

export function readGovernanceConfig(env: EnvReader): GovernanceConfig {
  const adminEmails = boundedList(env, 'ADMIN_EMAILS');
  for (const email of adminEmails) {
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new ConfigError(`ADMIN_EMAILS must list e-mail addresses (got "${email}")`);
  }
  const initialSignupDomains = boundedList(env, 'SIGNUP_DOMAINS').map((domain) => domain.replace(/^@/, ''));
  for (const domain of initialSignupDomains) {
    if (!isEmailDomain(domain)) throw new ConfigError(`SIGNUP_DOMAINS must list domains such as example.org (got "${domain}")`);
  }
  return {
    adminEmails,
    initialSignupPolicy: env.oneOf<SignupPolicyName>('SIGNUP_POLICY', SIGNUP_POLICIES, 'open'),
    initialSignupDomains,
    maxActiveInvites: env.integer('INVITE_MAX_ACTIVE', { default: 1_000, min: 1, max: 100_000 }),
    inviteMaxDays: env.integer('INVITE_MAX_DAYS', { default: 90, min: 1, max: 3_650 }),
    auditRetentionDays: env.integer('AUDIT_RETENTION_DAYS', { default: 365, min: 0, max: 36_500 }),
    auditSweepIntervalSeconds: env.integer('AUDIT_SWEEP_INTERVAL_SECONDS', { default: 3_600, min: 0, max: 86_400 }),
  };
}

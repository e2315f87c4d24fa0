import { ConfigError } from './config.js';
import { unitConfig } from './testing/unit-config.js';

describe('governance settings', () => {
  it('defaults: open sign-up, no listed administrators, a year of audit log', () => {
    expect(unitConfig().governance).toEqual({
      adminEmails: [],
      initialSignupPolicy: 'open',
      initialSignupDomains: [],
      maxActiveInvites: 1_000,
      inviteMaxDays: 90,
      auditRetentionDays: 365,
      auditSweepIntervalSeconds: 3_600,
    });
  });

  it('reads lists lower-cased, without duplicates or a leading @ on domains', () => {
    const { governance } = unitConfig({ ADMIN_EMAILS: 'Ada@Example.org, ada@example.org,bob@example.org', SIGNUP_POLICY: 'domain', SIGNUP_DOMAINS: '@Example.ORG, team.example' });
    expect(governance).toMatchObject({ adminEmails: ['ada@example.org', 'bob@example.org'], initialSignupPolicy: 'domain', initialSignupDomains: ['example.org', 'team.example'] });
  });

  it('refuses what it cannot use, naming the variable', () => {
    const refusals: Array<[Record<string, string>, RegExp]> = [
      [{ SIGNUP_POLICY: 'sometimes' }, /SIGNUP_POLICY/],
      [{ SIGNUP_DOMAINS: 'not a domain' }, /SIGNUP_DOMAINS/],
      [{ ADMIN_EMAILS: 'nobody' }, /ADMIN_EMAILS/],
      [{ ADMIN_EMAILS: Array.from({ length: 201 }, (_, index) => `a${index}@example.org`).join(',') }, /ADMIN_EMAILS lists at most 200/],
      [{ AUDIT_RETENTION_DAYS: '-1' }, /AUDIT_RETENTION_DAYS/],
      [{ INVITE_MAX_ACTIVE: '0' }, /INVITE_MAX_ACTIVE/],
    ];
    for (const [env, message] of refusals) {
      expect(() => unitConfig(env)).toThrow(ConfigError);
      expect(() => unitConfig(env)).toThrow(message);
    }
  });
});

import { Injectable } from '@nestjs/common';
import type { Acting } from '../auth/signup-policy.service.js';
import { AuditService } from '../audit/audit.service.js';
import { notFound } from '../common/errors/domain-error.js';
import type { BudgetLimits, BudgetPolicy } from '../config/budgets.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DatabaseNotifications } from '../database/notifications.js';
import { budgetStatus, effectiveLimits, type BudgetStatus } from './budget-limits.js';
import { periodAt } from './budget-period.js';
import { BUDGET_POLICY_CHANNEL, BudgetsRepository, type Amounts } from './budgets.repository.js';

/** A user's budget as administrators see it. */
export interface UserBudgetView {
  override: BudgetLimits | null;
  effective: BudgetLimits;
  used: Amounts;
  resetsAt: string;
}

/** How long an instance reuses the policy it read (changes are announced at once; this bounds a missed announcement). */
const POLICY_CACHE_MS = 5_000;

const roundUsd = (usd: number) => Math.round(usd * 1_000_000) / 1_000_000;

/** The figures of a policy that the audit log keeps (never a key; the lists as counts and names). */
function auditDetail(policy: BudgetPolicy) {
  return {
    period: policy.period,
    timeZone: policy.timeZone,
    softPercent: policy.softPercent,
    defaultTokens: policy.default.tokens,
    defaultUsd: policy.default.usd,
    sharedTokens: policy.sharedKey.tokens,
    sharedUsd: policy.sharedKey.usd,
    sharedModels: policy.sharedKey.models,
    sharedTools: policy.sharedKey.tools,
    sharedMaxOutputTokens: policy.sharedKey.maxOutputTokens,
  };
}

/**
 * The installation's budget policy (BUDGET_* and SHARED_KEY_* give the
 * first one; administrators change it at run time), users' own limits, and
 * where each user stands in the current period.
 */
@Injectable()
export class BudgetsService {
  private readonly initial: BudgetPolicy;
  /** The policy as last read, reused for POLICY_CACHE_MS while every instance hears of changes. */
  private cached: { policy: BudgetPolicy; until: number } | undefined;
  /** Moves on each change heard of, so that a read begun before it is not kept. */
  private generation = 0;

  constructor(
    private readonly budgets: BudgetsRepository,
    private readonly audit: AuditService,
    private readonly notifications: DatabaseNotifications,
    @InjectConfig() config: AppConfig,
  ) {
    this.initial = config.budgets.initialPolicy;
    notifications.subscribe(BUDGET_POLICY_CHANNEL, () => this.forget());
  }

  /** The installation's policy: read on every turn, so held for a moment (a change reaches every instance by NOTIFY). */
  async policy(): Promise<BudgetPolicy> {
    if (this.cached && this.cached.until > Date.now() && this.notifications.listening) return this.cached.policy;
    const generation = this.generation;
    const policy = await this.budgets.policy(this.initial);
    if (generation === this.generation) this.cached = { policy, until: Date.now() + POLICY_CACHE_MS };
    return policy;
  }

  private forget(): void {
    this.generation++;
    this.cached = undefined;
  }

  async setPolicy(policy: BudgetPolicy, acting: Acting): Promise<BudgetPolicy> {
    const before = await this.policy();
    const after = await this.budgets.setPolicy(policy);
    this.forget();
    await this.budgets.announcePolicy();
    await this.audit.record({
      action: 'policy.budget_changed',
      actor: acting.actor,
      address: acting.address,
      detail: { ...auditDetail(after), previousPeriod: before.period, previousTimeZone: before.timeZone },
    });
    return after;
  }

  /** The user's budget in the current period (GET /api/usage, GET /api/settings). */
  async status(userId: string): Promise<BudgetStatus> {
    const [policy, override, own] = await Promise.all([this.policy(), this.budgets.override(userId), this.budgets.ownsKey(userId)]);
    const paidBy = own ? 'own' : 'shared';
    const period = periodAt(new Date(), policy.period, policy.timeZone);
    const used = await this.budgets.spent(userId, period.start, period.end);
    return budgetStatus(policy, effectiveLimits(policy, override, paidBy), used, paidBy, period.end);
  }

  async userBudget(userId: string): Promise<UserBudgetView> {
    const [policy, override, own] = await Promise.all([this.policy(), this.budgets.override(userId), this.budgets.ownsKey(userId)]);
    if (own === undefined) throw notFound('User');
    const period = periodAt(new Date(), policy.period, policy.timeZone);
    const used = await this.budgets.spent(userId, period.start, period.end);
    return {
      override,
      effective: effectiveLimits(policy, override, own ? 'own' : 'shared'),
      used: { tokens: used.tokens, usd: roundUsd(used.usd) },
      resetsAt: period.end.toISOString(),
    };
  }

  async setUserBudget(userId: string, limits: BudgetLimits, acting: Acting): Promise<UserBudgetView> {
    const target = await this.target(userId);
    await this.budgets.setOverride(userId, limits);
    await this.audit.record({ action: 'admin.user_budget_changed', actor: acting.actor, target, address: acting.address, detail: { tokens: limits.tokens, usd: limits.usd } });
    return this.userBudget(userId);
  }

  async clearUserBudget(userId: string, acting: Acting): Promise<UserBudgetView> {
    const target = await this.target(userId);
    const removed = await this.budgets.deleteOverride(userId);
    await this.audit.record({ action: 'admin.user_budget_cleared', actor: acting.actor, target, address: acting.address, detail: { removed } });
    return this.userBudget(userId);
  }

  private async target(userId: string): Promise<{ id: string; email: string }> {
    const email = await this.budgets.emailOf(userId);
    if (email === undefined) throw notFound('User');
    return { id: userId, email };
  }
}

import { Injectable } from '@nestjs/common';
import type { ToolType } from '../assistants/assistant.entity.js';
import { priceFor } from '../chat/pricing.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { BudgetLimits } from '../config/budgets.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { Transactions, type SqlExecutor } from '../database/sql.js';
import { effectiveLimits, limitPassed, usedPercent, type PaidBy } from './budget-limits.js';
import { periodAt } from './budget-period.js';
import { BudgetsRepository, type Amounts } from './budgets.repository.js';
import { BudgetsService } from './budgets.service.js';

/** What a turn asks of the model, as far as budgets and the shared key's policy care. */
export interface TurnAsk {
  /** `budgetOverride`: the user's own limits, read with the turn's scope (null: none). */
  user: { id: string; apiKeyCiphertext: string | null; apiKeyKeyId: string | null; budgetOverride: BudgetLimits | null };
  model: string;
  tools: ToolType[];
  maxOutputTokens: number | undefined;
}

/** A turn let in: the reservation to settle, its output cap, and the warning it carries. */
export interface AdmittedTurn {
  reservationId: string | null;
  paidBy: PaidBy;
  /** The output cap to send (the shared key's cap when the turn asked for more, or for none). */
  maxOutputTokens: number | undefined;
  warning: { usedPercent: number; resetsAt: string } | null;
}

/**
 * Lets a turn start or refuses it, before anything of it is stored: the
 * shared key's policy (models, tools, output cap) for users without a key
 * of their own, then the budgets, against which the turn reserves an
 * estimate until its real usage is known (settle).
 */
@Injectable()
export class BudgetAdmission {
  constructor(
    private readonly budgets: BudgetsService,
    private readonly repository: BudgetsRepository,
    private readonly transactions: Transactions,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async admit(ask: TurnAsk): Promise<AdmittedTurn> {
    // As the clients choose the key (llm/openai-clients.ts): a stored key with its key id, else the shared one.
    const paidBy: PaidBy = ask.user.apiKeyCiphertext === null || ask.user.apiKeyKeyId === null ? 'shared' : 'own';
    const policy = await this.budgets.policy();
    const override = ask.user.budgetOverride;
    let maxOutputTokens = ask.maxOutputTokens;
    if (paidBy === 'shared') {
      const rules = policy.sharedKey;
      if (rules.models.length > 0 && !rules.models.includes(ask.model)) {
        throw new DomainError('shared_key_policy', `The shared key does not answer with ${ask.model}; choose ${rules.models.join(', ')}, or add your own API key`, [
          { field: 'model', message: `Allowed with the shared key: ${rules.models.join(', ')}` },
        ]);
      }
      const refused = ask.tools.filter((tool) => rules.tools.length > 0 && !rules.tools.includes(tool));
      if (refused.length > 0) {
        throw new DomainError('shared_key_policy', `The shared key does not run the tools ${refused.join(', ')}; add your own API key to use them`, [
          { field: 'tools', message: `Allowed with the shared key: ${rules.tools.join(', ')}` },
        ]);
      }
      if (rules.maxOutputTokens !== null) maxOutputTokens = Math.min(maxOutputTokens ?? rules.maxOutputTokens, rules.maxOutputTokens);
    }
    const limits = effectiveLimits(policy, override, paidBy);
    const period = periodAt(new Date(), policy.period, policy.timeZone);
    if (limits.tokens === null && limits.usd === null) return { reservationId: null, paidBy, maxOutputTokens, warning: null };
    const estimate = this.estimate(ask.model);
    const reservation = await this.transactions.run((tx) =>
      this.repository.reserve(ask.user.id, period, estimate, limits, this.config.budgets.reservationMinutes, tx),
    );
    const used = { tokens: reservation.spent.tokens + reservation.held.tokens, usd: reservation.spent.usd + reservation.held.usd };
    if (reservation.id === null) {
      const limit = limitPassed(limits, used, estimate) ?? { unit: limits.tokens !== null ? 'tokens' : 'usd', value: (limits.tokens ?? limits.usd)! };
      throw new DomainError(
        'budget_exceeded',
        `Your ${policy.period === 'day' ? 'daily' : 'monthly'} budget is used up; it renews at ${period.end.toISOString()}`,
        undefined,
        undefined,
        { limit, resetsAt: period.end.toISOString() },
      );
    }
    const percent = usedPercent(limits, used);
    const warning = percent !== null && percent >= policy.softPercent ? { usedPercent: percent, resetsAt: period.end.toISOString() } : null;
    return { reservationId: reservation.id, paidBy, maxOutputTokens, warning };
  }

  /** Gives back a reservation whose turn did not start. */
  async release(userId: string, admitted: AdmittedTurn): Promise<void> {
    if (admitted.reservationId !== null) await this.repository.release(userId, admitted.reservationId);
  }

  /** The turn's real usage replaces its reservation (in the transaction that stores the reply). */
  async settle(userId: string, reservationId: string | null, spend: Amounts, db: SqlExecutor): Promise<void> {
    await this.repository.addSpend(userId, spend, db);
    if (reservationId !== null) await this.repository.release(userId, reservationId, db);
  }

  /** Spending besides replies (titles, summaries). */
  recordSpend(userId: string, spend: Amounts): Promise<void> {
    return this.repository.addSpend(userId, spend);
  }

  /** BUDGET_RESERVE_TOKENS, and their price at the model's dearer rate (0 for a model without a price). */
  private estimate(model: string): Amounts {
    const tokens = this.config.budgets.reserveTokens;
    const price = priceFor(model, this.config.openai.pricing);
    const usd = price ? Math.ceil((tokens * Math.max(price.input, price.output)) / 1_000_000 * 1_000_000) / 1_000_000 : 0;
    return { tokens, usd };
  }
}

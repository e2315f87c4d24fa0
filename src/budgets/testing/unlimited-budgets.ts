import type { AdmittedTurn, BudgetAdmission, TurnAsk } from '../budget-admission.js';
import type { Amounts } from '../budgets.repository.js';

/** Admits every turn and remembers what was settled and spent: for unit specs that leave budgets out. */
export class UnlimitedBudgets implements Pick<BudgetAdmission, 'admit' | 'release' | 'settle' | 'recordSpend'> {
  readonly settled: Array<{ userId: string; reservationId: string | null; spend: Amounts }> = [];
  readonly spent: Array<{ userId: string; spend: Amounts }> = [];

  async admit(ask: TurnAsk): Promise<AdmittedTurn> {
    return { reservationId: null, paidBy: ask.user.apiKeyCiphertext === null ? 'shared' : 'own', maxOutputTokens: ask.maxOutputTokens, warning: null };
  }

  async release(): Promise<void> {}

  async settle(userId: string, reservationId: string | null, spend: Amounts): Promise<void> {
    this.settled.push({ userId, reservationId, spend });
  }

  async recordSpend(userId: string, spend: Amounts): Promise<void> {
    this.spent.push({ userId, spend });
  }

  /** As the real admission's type, for constructors. */
  get real(): BudgetAdmission {
    return this as unknown as BudgetAdmission;
  }
}

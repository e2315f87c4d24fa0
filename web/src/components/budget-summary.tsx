// Where the signed-in user stands in the current budget period (Usage and Settings).
import type { BudgetStatus } from '../api/budgets';
import { formatCost, formatDateTime, formatNumber } from '../lib/format';
import { common } from '../strings/common';
import { format as fill } from '../strings/index';

type Figure = BudgetStatus['tokens'];

function FigureRow({ label, figure, softPercent, format }: { label: string; figure: Figure; softPercent: number; format(value: number): string }) {
  return (
    <div class="budget-figure">
      <dt>{label}</dt>
      <dd>
        {figure.limit === null ? (
          <>
            {fill(common.figureUsed, { used: format(figure.used) })} <span class="meta">{common.noLimit}</span>
          </>
        ) : (
          <>
            <span data-testid={`budget-${label.toLowerCase()}-left`}>{fill(common.figureLeft, { left: format(figure.remaining ?? 0) })}</span>{' '}
            <span class="meta">{fill(common.figureOf, { limit: format(figure.limit), used: format(figure.used) })}</span>
            {/* Coloured as a warning past the soft limit, as an alarm once used up. */}
            <meter
              min={0}
              max={figure.limit || 1}
              low={((figure.limit || 1) * softPercent) / 100}
              high={(figure.limit || 1) * 0.999}
              optimum={0}
              value={Math.min(figure.used, figure.limit)}
              aria-label={fill(common.figureUsedLabel, { label })}
            />
          </>
        )}
      </dd>
    </div>
  );
}

export function BudgetSummary({ budget, headingLevel = 2 }: { budget: BudgetStatus; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section class="card budget-summary" aria-labelledby="budget-heading" data-testid="budget-summary">
      <Heading id="budget-heading">{budget.period === 'day' ? common.budgetToday : common.budgetThisMonth}</Heading>
      <p>
        {budget.paidBy === 'own' ? common.paidByOwn : common.paidByShared} {fill(common.renews, { when: formatDateTime(budget.resetsAt) })}
      </p>
      {budget.warning && (
        <p class="notice notice-warn" data-testid="budget-warning">
          {fill(common.budgetWarning, { percent: budget.softPercent })}
        </p>
      )}
      <dl class="budget-figures">
        <FigureRow label={common.tokens} figure={budget.tokens} softPercent={budget.softPercent} format={formatNumber} />
        <FigureRow label={common.cost} figure={budget.usd} softPercent={budget.softPercent} format={(value) => formatCost(value)} />
      </dl>
    </section>
  );
}

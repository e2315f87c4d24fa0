// Where the signed-in user stands in the current budget period (Usage and Settings).
import type { BudgetStatus } from '../api/budgets';
import { formatCost, formatDateTime, formatNumber } from '../lib/format';

type Figure = BudgetStatus['tokens'];

function FigureRow({ label, figure, softPercent, format }: { label: string; figure: Figure; softPercent: number; format(value: number): string }) {
  return (
    <div class="budget-figure">
      <dt>{label}</dt>
      <dd>
        {figure.limit === null ? (
          <>
            {format(figure.used)} used <span class="meta">(no limit)</span>
          </>
        ) : (
          <>
            <span data-testid={`budget-${label.toLowerCase()}-left`}>{format(figure.remaining ?? 0)} left</span>{' '}
            <span class="meta">
              of {format(figure.limit)} ({format(figure.used)} used)
            </span>
            {/* Coloured as a warning past the soft limit, as an alarm once used up. */}
            <meter
              min={0}
              max={figure.limit || 1}
              low={((figure.limit || 1) * softPercent) / 100}
              high={(figure.limit || 1) * 0.999}
              optimum={0}
              value={Math.min(figure.used, figure.limit)}
              aria-label={`${label} used`}
            />
          </>
        )}
      </dd>
    </div>
  );
}

export function BudgetSummary({ budget, headingLevel = 2 }: { budget: BudgetStatus; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const period = budget.period === 'day' ? 'today' : 'this month';
  return (
    <section class="card budget-summary" aria-labelledby="budget-heading" data-testid="budget-summary">
      <Heading id="budget-heading">Budget {period}</Heading>
      <p>
        Paid by {budget.paidBy === 'own' ? 'your own OpenAI key' : 'the shared key of this service'}. Renews{' '}
        {formatDateTime(budget.resetsAt)}.
      </p>
      {budget.warning && (
        <p class="notice notice-warn" data-testid="budget-warning">
          More than {budget.softPercent}% of your budget is used.
        </p>
      )}
      <dl class="budget-figures">
        <FigureRow label="Tokens" figure={budget.tokens} softPercent={budget.softPercent} format={formatNumber} />
        <FigureRow label="Cost" figure={budget.usd} softPercent={budget.softPercent} format={(value) => formatCost(value)} />
      </dl>
    </section>
  );
}

import { useState } from 'preact/hooks';
import { usage } from '../../api/endpoints';
import type { UsageFigures, UsageGroup } from '../../api/types';
import { BudgetSummary } from '../../components/budget-summary';
import { ErrorNotice } from '../../components/error-notice';
import { useLoader } from '../../components/hooks';
import { ScreenHeading } from '../../components/screen-heading';
import { formatCost, formatDay, formatNumber, formatTokens } from '../../lib/format';
import { ColumnChart, RowChart, type Bar } from './bar-chart';

const PERIODS = [7, 30, 90] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
type Metric = 'tokens' | 'cost';

/** Every day of the period (UTC, as the server groups), with the days that had no turns as zero. */
function fillDays(groups: UsageGroup[], days: number): UsageGroup[] {
  const byKey = new Map(groups.map((group) => [group.key ?? '', group]));
  const today = Date.now();
  return Array.from({ length: days }, (_, index) => {
    const key = new Date(today - (days - 1 - index) * DAY_MS).toISOString().slice(0, 10);
    return byKey.get(key) ?? { key, label: key, inputTokens: 0, outputTokens: 0, totalTokens: 0, cost: 0, turns: 0, calls: 0 };
  });
}

function describe(group: UsageFigures): string {
  return `${formatTokens(group.totalTokens)}, ${formatCost(group.cost)}, ${group.turns} ${group.turns === 1 ? 'turn' : 'turns'}`;
}

function valueOf(group: UsageFigures, metric: Metric): number {
  return metric === 'tokens' ? group.totalTokens : (group.cost ?? 0);
}

export function UsageScreen() {
  const [days, setDays] = useState<(typeof PERIODS)[number]>(30);
  const [metric, setMetric] = useState<Metric>('tokens');
  const report = useLoader(async () => {
    const from = new Date(Date.now() - (days - 1) * DAY_MS).toISOString().slice(0, 10);
    const [byDay, byAssistant] = await Promise.all([usage.report({ from, groupBy: 'day' }), usage.report({ from, groupBy: 'assistant' })]);
    return { byDay, byAssistant };
  }, [days]);

  const totals = report.data?.byDay.totals;
  const dayGroups = report.data ? fillDays(report.data.byDay.groups, days) : [];
  const dayBars: Bar[] = dayGroups.map((group) => ({
    key: group.key ?? '',
    label: formatDay(group.key ?? ''),
    value: valueOf(group, metric),
    description: `${formatDay(group.key ?? '')}: ${describe(group)}`,
  }));
  const assistantBars: Bar[] = (report.data?.byAssistant.groups ?? []).map((group) => ({
    key: group.key ?? 'none',
    label: group.label ?? (group.key ? 'Deleted assistant' : 'No assistant'),
    value: valueOf(group, metric),
    description: describe(group),
  }));
  const formatAxis = metric === 'tokens' ? formatNumber : formatCost;

  return (
    <main id="main" class="screen">
      <div class="screen-head">
        <ScreenHeading>Usage</ScreenHeading>
        <div class="toolbar">
          <label class="inline-select">
            <span>Period</span>
            <select value={days} onChange={(event) => setDays(Number(event.currentTarget.value) as (typeof PERIODS)[number])}>
              {PERIODS.map((period) => (
                <option key={period} value={period}>
                  Last {period} days
                </option>
              ))}
            </select>
          </label>
          <fieldset class="segmented">
            <legend class="visually-hidden">Show</legend>
            {(['tokens', 'cost'] as const).map((option) => (
              <label key={option}>
                <input type="radio" name="metric" value={option} checked={metric === option} onChange={() => setMetric(option)} />
                <span>{option === 'tokens' ? 'Tokens' : 'Cost'}</span>
              </label>
            ))}
          </fieldset>
        </div>
      </div>
      <ErrorNotice error={report.error} context="Could not load usage." />
      {report.data?.byDay.budget && <BudgetSummary budget={report.data.byDay.budget} />}
      {totals && (
        <dl class="totals" data-testid="usage-totals">
          <div>
            <dt>Turns</dt>
            <dd data-testid="usage-turns">{formatNumber(totals.turns)}</dd>
          </div>
          <div>
            <dt>Input tokens</dt>
            <dd>{formatNumber(totals.inputTokens)}</dd>
          </div>
          <div>
            <dt>Output tokens</dt>
            <dd>{formatNumber(totals.outputTokens)}</dd>
          </div>
          <div>
            <dt>Total tokens</dt>
            <dd>{formatNumber(totals.totalTokens)}</dd>
          </div>
          <div>
            <dt>Cost</dt>
            <dd>{formatCost(totals.cost)}</dd>
          </div>
        </dl>
      )}
      {report.data && (
        <>
          <section class="card" aria-labelledby="per-day-heading">
            <h2 id="per-day-heading">{metric === 'tokens' ? 'Tokens' : 'Cost'} per day</h2>
            <ColumnChart bars={dayBars} format={formatAxis} title={`${metric === 'tokens' ? 'Tokens' : 'Cost'} per day, last ${days} days`} />
            <details>
              <summary>Show as a table</summary>
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">Turns</th>
                    <th scope="col">Tokens</th>
                    <th scope="col">Cost</th>
                  </tr>
                </thead>
                <tbody>
                  {dayGroups
                    .filter((group) => group.calls > 0)
                    .map((group) => (
                      <tr key={group.key}>
                        <th scope="row">{formatDay(group.key ?? '')}</th>
                        <td>{formatNumber(group.turns)}</td>
                        <td>{formatNumber(group.totalTokens)}</td>
                        <td>{formatCost(group.cost)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </details>
          </section>
          <section class="card" aria-labelledby="per-assistant-heading">
            <h2 id="per-assistant-heading">Per assistant</h2>
            {assistantBars.length === 0 ? (
              <p class="empty">No turns in this period.</p>
            ) : (
              <RowChart bars={assistantBars} title={`${metric === 'tokens' ? 'Tokens' : 'Cost'} per assistant`} />
            )}
          </section>
        </>
      )}
    </main>
  );
}

import { useState } from 'preact/hooks';
import { usage } from '../../api/endpoints';
import type { UsageFigures, UsageGroup } from '../../api/types';
import { BudgetSummary } from '../../components/budget-summary';
import { ErrorNotice } from '../../components/error-notice';
import { useLoader } from '../../components/hooks';
import { ScreenHeading } from '../../components/screen-heading';
import { Skeleton } from '../../components/skeleton';
import { formatCost, formatDay, formatNumber, formatTokens } from '../../lib/format';
import { format } from '../../strings/index';
import { usage as text } from '../../strings/usage';
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
  const turns = format(group.turns === 1 ? text.oneTurn : text.manyTurns, { count: group.turns });
  return format(text.describe, { tokens: formatTokens(group.totalTokens), cost: formatCost(group.cost), turns });
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
    description: format(text.dayDescription, { day: formatDay(group.key ?? ''), figures: describe(group) }),
  }));
  const assistantBars: Bar[] = (report.data?.byAssistant.groups ?? []).map((group) => ({
    key: group.key ?? 'none',
    label: group.label ?? (group.key ? text.deletedAssistant : text.noAssistant),
    value: valueOf(group, metric),
    description: describe(group),
  }));
  const formatAxis = metric === 'tokens' ? formatNumber : formatCost;

  return (
    <main id="main" class="screen">
      <div class="screen-head">
        <ScreenHeading>{text.title}</ScreenHeading>
        <div class="toolbar">
          <label class="inline-select">
            <span>{text.period}</span>
            <select value={days} onChange={(event) => setDays(Number(event.currentTarget.value) as (typeof PERIODS)[number])}>
              {PERIODS.map((period) => (
                <option key={period} value={period}>
                  {format(text.lastDays, { days: period })}
                </option>
              ))}
            </select>
          </label>
          <fieldset class="segmented">
            <legend class="visually-hidden">{text.show}</legend>
            {(['tokens', 'cost'] as const).map((option) => (
              <label key={option}>
                <input type="radio" name="metric" value={option} checked={metric === option} onChange={() => setMetric(option)} />
                <span>{option === 'tokens' ? text.tokens : text.cost}</span>
              </label>
            ))}
          </fieldset>
        </div>
      </div>
      <ErrorNotice error={report.error} context={text.couldNotLoad} />
      {!report.data && !report.error && <Skeleton lines={6} label={text.title} />}
      {report.data?.byDay.budget && <BudgetSummary budget={report.data.byDay.budget} />}
      {totals && (
        <dl class="totals" data-testid="usage-totals">
          <div>
            <dt>{text.turns}</dt>
            <dd data-testid="usage-turns">{formatNumber(totals.turns)}</dd>
          </div>
          <div>
            <dt>{text.inputTokens}</dt>
            <dd>{formatNumber(totals.inputTokens)}</dd>
          </div>
          <div>
            <dt>{text.outputTokens}</dt>
            <dd>{formatNumber(totals.outputTokens)}</dd>
          </div>
          <div>
            <dt>{text.totalTokens}</dt>
            <dd>{formatNumber(totals.totalTokens)}</dd>
          </div>
          <div>
            <dt>{text.cost}</dt>
            <dd>{formatCost(totals.cost)}</dd>
          </div>
        </dl>
      )}
      {report.data && (
        <>
          <section class="card" aria-labelledby="per-day-heading">
            <h2 id="per-day-heading">{metric === 'tokens' ? text.tokensPerDay : text.costPerDay}</h2>
            {dayBars.every((bar) => bar.value === 0) ? (
              <p class="empty chart-empty" data-testid="usage-chart-empty">
                {text.noUsageYet}
              </p>
            ) : (
              <ColumnChart
                bars={dayBars}
                format={formatAxis}
                whole={metric === 'tokens'}
                title={format(metric === 'tokens' ? text.tokensPerDayTitle : text.costPerDayTitle, { days })}
              />
            )}
            <details>
              <summary>{text.showTable}</summary>
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">{text.day}</th>
                    <th scope="col">{text.turns}</th>
                    <th scope="col">{text.tokens}</th>
                    <th scope="col">{text.cost}</th>
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
            <h2 id="per-assistant-heading">{text.perAssistant}</h2>
            {assistantBars.length === 0 ? (
              <p class="empty">{text.noTurns}</p>
            ) : (
              <RowChart bars={assistantBars} title={metric === 'tokens' ? text.tokensPerAssistant : text.costPerAssistant} />
            )}
          </section>
        </>
      )}
    </main>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { adminBudgets, limitText, limitValue } from '../../api/budgets';
import { ConfirmDialog } from '../../components/dialog';
import { ErrorNotice, StatusNotice } from '../../components/error-notice';
import { TextField } from '../../components/fields';
import { useLoader } from '../../components/hooks';
import { useAction } from '../../components/use-action';
import { Skeleton } from '../../components/skeleton';
import { formatCost, formatDateTime, formatNumber } from '../../lib/format';
import { admin as text } from '../../strings/admin';
import { format as fill } from '../../strings/index';

function limitLabel(value: number | null, none: string, format: (value: number) => string): string {
  return value === null ? none : format(value);
}

/** A user's own limits, in place of the installation's. */
export function UserBudget({ userId }: { userId: string }) {
  const budget = useLoader(() => adminBudgets.user(userId), [userId]);
  const [tokens, setTokens] = useState('');
  const [usd, setUsd] = useState('');
  const [confirmClear, setConfirmClear] = useState(false);
  const action = useAction();
  const data = budget.data;
  useEffect(() => {
    setTokens(limitText(data?.override?.tokens));
    setUsd(limitText(data?.override?.usd));
  }, [data]);

  const save = async (event: Event) => {
    event.preventDefault();
    await action.run(async () => {
      budget.setData(await adminBudgets.setUser(userId, { tokens: limitValue(tokens), usd: limitValue(usd) }));
      return text.budgetSaved;
    });
  };
  const clear = async () => {
    setConfirmClear(false);
    await action.run(async () => {
      budget.setData(await adminBudgets.clearUser(userId));
      return text.budgetCleared;
    });
  };

  return (
    <section class="card" aria-labelledby="user-budget-heading">
      <h2 id="user-budget-heading">{text.budget}</h2>
      <ErrorNotice error={budget.error} context={text.couldNotLoadBudget} />
      {!data ? (
        !budget.error && <Skeleton lines={3} label={text.budget} />
      ) : (
        <>
          <p data-testid="user-budget-state">
            {fill(text.budgetState, {
              which: data.override ? text.ownLimits : text.installationLimits,
              tokens: limitLabel(data.effective.tokens, text.noTokenLimit, (count) => fill(text.tokensAmount, { count: formatNumber(count) })),
              usd: limitLabel(data.effective.usd, text.noCostLimit, formatCost),
              usedTokens: formatNumber(data.used.tokens),
              usedUsd: formatCost(data.used.usd),
              resets: formatDateTime(data.resetsAt),
            })}
          </p>
          <ErrorNotice error={action.error} context={text.couldNotChangeBudget} />
          <StatusNotice message={action.done} />
          <form class="inline-form" onSubmit={save}>
            <TextField label={text.ownLimitTokens} type="number" inputMode="numeric" min={0} value={tokens} onValue={setTokens} hint={text.emptyNoLimit} />
            <TextField label={text.ownLimitUsd} type="number" inputMode="decimal" min={0} step={0.01} value={usd} onValue={setUsd} hint={text.emptyNoLimit} />
            <button type="submit" disabled={action.busy}>
              {text.saveOwnLimits}
            </button>
            {data.override && (
              <button type="button" class="danger" disabled={action.busy} onClick={() => setConfirmClear(true)}>
                {text.removeOwnLimits}
              </button>
            )}
          </form>
          <ConfirmDialog
            open={confirmClear}
            title={text.removeOwnLimitsTitle}
            confirmLabel={text.remove}
            danger
            busy={action.busy}
            onConfirm={() => void clear()}
            onCancel={() => setConfirmClear(false)}
          >
            <p>{text.removeOwnLimitsText}</p>
          </ConfirmDialog>
        </>
      )}
    </section>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { adminBudgets, limitText, limitValue } from '../../api/budgets';
import { ConfirmDialog } from '../../components/dialog';
import { ErrorNotice, StatusNotice } from '../../components/error-notice';
import { TextField } from '../../components/fields';
import { useLoader } from '../../components/hooks';
import { useAction } from '../../components/use-action';
import { formatCost, formatDateTime, formatNumber } from '../../lib/format';

function limitLabel(value: number | null, format: (value: number) => string): string {
  return value === null ? 'no limit' : format(value);
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
      return 'Budget saved.';
    });
  };
  const clear = async () => {
    setConfirmClear(false);
    await action.run(async () => {
      budget.setData(await adminBudgets.clearUser(userId));
      return 'The installation’s budget applies again.';
    });
  };

  return (
    <section class="card" aria-labelledby="user-budget-heading">
      <h2 id="user-budget-heading">Budget</h2>
      <ErrorNotice error={budget.error} context="Could not load the budget." />
      {!data ? (
        !budget.error && <p aria-live="polite">Loading the budget…</p>
      ) : (
        <>
          <p data-testid="user-budget-state">
            {data.override ? 'Own limits' : 'The installation’s limits'}: {limitLabel(data.effective.tokens, formatNumber)} tokens,{' '}
            {limitLabel(data.effective.usd, formatCost)}. Used this period: {formatNumber(data.used.tokens)} tokens, {formatCost(data.used.usd)}.
            Renews {formatDateTime(data.resetsAt)}.
          </p>
          <ErrorNotice error={action.error} context="Could not change the budget." />
          <StatusNotice message={action.done} />
          <form class="inline-form" onSubmit={save}>
            <TextField label="Own limit: tokens" type="number" inputMode="numeric" min={0} value={tokens} onValue={setTokens} hint="Empty: no limit." />
            <TextField label="Own limit: US dollars" type="number" inputMode="decimal" min={0} step={0.01} value={usd} onValue={setUsd} hint="Empty: no limit." />
            <button type="submit" disabled={action.busy}>
              Save own limits
            </button>
            {data.override && (
              <button type="button" class="danger" disabled={action.busy} onClick={() => setConfirmClear(true)}>
                Remove own limits
              </button>
            )}
          </form>
          <ConfirmDialog
            open={confirmClear}
            title="Remove this user’s own limits?"
            confirmLabel="Remove"
            danger
            busy={action.busy}
            onConfirm={() => void clear()}
            onCancel={() => setConfirmClear(false)}
          >
            <p>The installation’s budget applies to them again.</p>
          </ConfirmDialog>
        </>
      )}
    </section>
  );
}

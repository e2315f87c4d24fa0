import { useEffect, useState } from 'preact/hooks';
import { adminBudgets, limitText, limitValue, SHARED_KEY_TOOLS, type BudgetPolicy } from '../../api/budgets';
import { ErrorNotice, StatusNotice } from '../../components/error-notice';
import { SelectField, TextAreaField, TextField } from '../../components/fields';
import { useLoader } from '../../components/hooks';
import { Skeleton } from '../../components/skeleton';
import { useAction } from '../../components/use-action';
import { admin as text } from '../../strings/admin';

interface Form {
  period: BudgetPolicy['period'];
  timeZone: string;
  softPercent: string;
  tokens: string;
  usd: string;
  sharedTokens: string;
  sharedUsd: string;
  models: string;
  tools: string[];
  maxOutputTokens: string;
}

function toForm(policy: BudgetPolicy): Form {
  return {
    period: policy.period,
    timeZone: policy.timeZone,
    softPercent: String(policy.softPercent),
    tokens: limitText(policy.default.tokens),
    usd: limitText(policy.default.usd),
    sharedTokens: limitText(policy.sharedKey.tokens),
    sharedUsd: limitText(policy.sharedKey.usd),
    models: policy.sharedKey.models.join('\n'),
    tools: [...policy.sharedKey.tools],
    maxOutputTokens: limitText(policy.sharedKey.maxOutputTokens),
  };
}

function toPolicy(form: Form): BudgetPolicy {
  return {
    period: form.period,
    timeZone: form.timeZone.trim(),
    softPercent: Number(form.softPercent),
    default: { tokens: limitValue(form.tokens), usd: limitValue(form.usd) },
    sharedKey: {
      tokens: limitValue(form.sharedTokens),
      usd: limitValue(form.sharedUsd),
      models: form.models.split(/[\s,]+/).filter(Boolean),
      tools: form.tools as BudgetPolicy['sharedKey']['tools'],
      maxOutputTokens: limitValue(form.maxOutputTokens),
    },
  };
}

const PERIODS = [
  { value: 'day', label: text.perDay },
  { value: 'month', label: text.perMonth },
];
const NO_LIMIT = text.leaveEmptyNoLimit;

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

export function BudgetsPanel() {
  const current = useLoader(() => adminBudgets.policy(), []);
  const [form, setForm] = useState<Form | null>(null);
  const action = useAction();
  useEffect(() => {
    if (current.data) setForm(toForm(current.data));
  }, [current.data]);
  const set = (change: Partial<Form>) => setForm((previous) => (previous ? { ...previous, ...change } : previous));

  const save = async (event: Event) => {
    event.preventDefault();
    if (!form) return;
    await action.run(async () => {
      current.setData(await adminBudgets.setPolicy(toPolicy(form)));
      return text.budgetsSaved;
    });
  };

  return (
    <section aria-labelledby="budgets-heading">
      <h2 id="budgets-heading">{text.budgets}</h2>
      <ErrorNotice error={current.error} context={text.couldNotLoadBudgets} />
      {!form ? (
        !current.error && <Skeleton lines={8} label={text.budgets} />
      ) : (
        <form class="stack" onSubmit={save}>
          <div class="card">
            <h3>{text.installationDefaults}</h3>
            <p>{text.defaultsIntro}</p>
            <div class="form-grid">
              <SelectField label={text.period} value={form.period} options={PERIODS} onValue={(period) => set({ period: period as Form['period'] })} />
              <TextField label={text.timeZone} value={form.timeZone} onValue={(timeZone) => set({ timeZone })} list="time-zones" spellcheck={false} hint={text.timeZoneHint} />
              <TextField label={text.warnAt} type="number" inputMode="numeric" min={1} max={100} value={form.softPercent} onValue={(softPercent) => set({ softPercent })} />
              <TextField label={text.tokensPerPeriod} type="number" inputMode="numeric" min={0} value={form.tokens} onValue={(tokens) => set({ tokens })} hint={NO_LIMIT} />
              <TextField label={text.usdPerPeriod} type="number" inputMode="decimal" min={0} step={0.01} value={form.usd} onValue={(usd) => set({ usd })} hint={NO_LIMIT} />
            </div>
            <datalist id="time-zones">
              {timeZones().map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </div>
          <div class="card">
            <h3>{text.sharedKey}</h3>
            <p>{text.sharedKeyIntro}</p>
            <div class="form-grid">
              <TextField label={text.sharedTokens} type="number" inputMode="numeric" min={0} value={form.sharedTokens} onValue={(sharedTokens) => set({ sharedTokens })} hint={NO_LIMIT} />
              <TextField label={text.sharedUsd} type="number" inputMode="decimal" min={0} step={0.01} value={form.sharedUsd} onValue={(sharedUsd) => set({ sharedUsd })} hint={NO_LIMIT} />
              <TextField label={text.longestReply} type="number" inputMode="numeric" min={16} value={form.maxOutputTokens} onValue={(maxOutputTokens) => set({ maxOutputTokens })} hint={text.longestReplyHint} />
            </div>
            <TextAreaField label={text.modelsAllowed} rows={3} value={form.models} onValue={(models) => set({ models })} placeholder={text.modelsPlaceholder} hint={text.modelsHint} />
            <fieldset class="field choice-list">
              <legend>{text.toolsAllowed}</legend>
              {SHARED_KEY_TOOLS.map((tool) => (
                <label key={tool.value} class="check">
                  <input
                    type="checkbox"
                    checked={form.tools.includes(tool.value)}
                    onChange={(event) =>
                      set({ tools: event.currentTarget.checked ? [...form.tools, tool.value] : form.tools.filter((value) => value !== tool.value) })
                    }
                  />
                  <span>{tool.label}</span>
                </label>
              ))}
              <p class="field-hint">{text.anyTool}</p>
            </fieldset>
          </div>
          <ErrorNotice error={action.error} context={text.couldNotSaveBudgets} />
          <StatusNotice message={action.done} />
          <div class="actions">
            <button type="submit" class="primary" disabled={action.busy}>
              {action.busy ? text.saving : text.saveBudgets}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

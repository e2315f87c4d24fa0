// Creating a personal API token, and showing it the one time the server sends it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { apiTokens, type ApiTokenScope, type CreatedApiToken } from '../../api/tokens';
import { StatusNotice } from '../../components/error-notice';
import { SelectField, TextField } from '../../components/fields';
import type { useAction } from '../../components/use-action';
import { fieldErrors } from '../../lib/error-messages';
import { format, strings } from '../../strings';

const text = strings.tokens;

const SCOPES: Array<{ value: ApiTokenScope; label: string; hint: string }> = [
  { value: 'read', label: text.scopeRead, hint: text.scopeReadHint },
  { value: 'write', label: text.scopeWrite, hint: text.scopeWriteHint },
  { value: 'chat', label: text.scopeChat, hint: text.scopeChatHint },
];

const EXPIRIES = [
  { value: '', label: text.expiryNever },
  { value: '7', label: format(text.expiryDays, { days: 7 }) },
  { value: '30', label: format(text.expiryDays, { days: 30 }) },
  { value: '90', label: format(text.expiryDays, { days: 90 }) },
  { value: '365', label: text.expiryYear },
];

interface Props {
  action: ReturnType<typeof useAction>;
  onCreated(token: CreatedApiToken): Promise<void>;
}

export function NewTokenForm({ action, onCreated }: Props) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiTokenScope[]>(['read']);
  const [days, setDays] = useState('');
  const errors = fieldErrors(action.error);

  const toggle = (scope: ApiTokenScope, on: boolean) =>
    setScopes(on ? SCOPES.map((entry) => entry.value).filter((value) => value === scope || scopes.includes(value)) : scopes.filter((value) => value !== scope));

  const create = async (event: Event) => {
    event.preventDefault();
    await action.run(async () => {
      const created = await apiTokens.create({ name: name.trim(), scopes, ...(days ? { expiresInDays: Number(days) } : {}) });
      setName('');
      await onCreated(created);
      return format(text.created, { name: created.name });
    });
  };

  return (
    <form class="stack" onSubmit={create}>
      <TextField label={text.nameLabel} maxLength={100} required value={name} onValue={setName} error={errors.name} hint={text.nameHint} />
      <fieldset class="field choice-list">
        <legend>{text.scopesLegend}</legend>
        {SCOPES.map((scope) => (
          <label key={scope.value} class="check">
            <input type="checkbox" checked={scopes.includes(scope.value)} onChange={(event) => toggle(scope.value, event.currentTarget.checked)} />
            <span>
              {scope.label} <span class="field-hint">— {scope.hint}</span>
            </span>
          </label>
        ))}
        {(errors.scopes || scopes.length === 0) && <p class="field-hint">{errors.scopes ?? text.scopesNone}</p>}
      </fieldset>
      <SelectField label={text.expiryLabel} value={days} options={EXPIRIES} onValue={setDays} error={errors.expiresInDays} />
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy || name.trim() === '' || scopes.length === 0}>
          {action.busy ? text.creating : text.create}
        </button>
      </div>
    </form>
  );
}

/** The token just created: its secret is never shown again. */
export function CreatedToken({ token, onDismiss }: { token: CreatedApiToken; onDismiss(): void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  // Focus moves to the token, so that keyboards and screen readers find it first.
  useEffect(() => field.current?.focus(), [token.id]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied(text.copied);
    } catch {
      (document.getElementById('new-api-token') as HTMLInputElement | null)?.select();
      setCopied(text.copyByHand);
    }
  };
  return (
    <div class="created-invite" data-testid="created-token">
      <label for="new-api-token">{text.newTokenLabel}</label>
      <div class="copy-row">
        <input id="new-api-token" ref={field} readOnly spellcheck={false} value={token.token} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" onClick={() => void copy()}>
          {text.copy}
        </button>
      </div>
      <p class="field-hint">{text.shownOnce}</p>
      <StatusNotice message={copied} />
      <div class="actions">
        <button type="button" onClick={onDismiss}>
          {text.dismiss}
        </button>
      </div>
    </div>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { assistants, auth, settings } from '../../api/endpoints';
import { Dialog, ConfirmDialog } from '../../components/dialog';
import { ErrorNotice, StatusNotice } from '../../components/error-notice';
import { SelectField, TextField } from '../../components/fields';
import { useLoader } from '../../components/hooks';
import { useAction } from '../../components/use-action';
import { ScreenHeading } from '../../components/screen-heading';
import { Skeleton } from '../../components/skeleton';
import { fieldErrors } from '../../lib/error-messages';
import { useSession } from '../../session';
import { BudgetSummary } from '../../components/budget-summary';
import { common } from '../../strings/common';
import { format } from '../../strings/index';
import { settings as text } from '../../strings/settings';
import { PasswordSection } from './password-section';
import { ApiTokensSection } from './api-tokens-section';

export function SettingsScreen() {
  // A link to a section (#api-key, #password…) shows that section.
  useEffect(() => {
    const target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    target?.scrollIntoView({ block: 'start' });
  }, []);
  return (
    <main id="main" class="screen narrow">
      <ScreenHeading>{text.title}</ScreenHeading>
      <ApiKeySection />
      <BudgetSection />
      <DefaultAssistantSection />
      <PasswordSection />
      <ApiTokensSection />
      <DeleteAccountSection />
    </main>
  );
}

function ApiKeySection() {
  const session = useSession();
  const current = useLoader(() => settings.get(), []);
  const [apiKey, setApiKey] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const action = useAction();

  const save = async (event: Event) => {
    event.preventDefault();
    const saved = await action.run(async () => (await settings.setApiKey(apiKey.trim())).message);
    if (saved) {
      setApiKey('');
      await Promise.all([current.reload(), session.refresh()]);
    }
  };
  const remove = async () => {
    setConfirmDelete(false);
    await action.run(async () => (await settings.deleteApiKey()).message);
    await Promise.all([current.reload(), session.refresh()]);
  };

  const info = current.data;
  return (
    <section class="card" id="api-key" aria-labelledby="apikey-heading">
      <h2 id="apikey-heading">{text.apiKeyHeading}</h2>
      <p>{text.apiKeyIntro}</p>
      <div class="key-status" data-testid="api-key-status">
        {info === undefined ? (
          !current.error && <Skeleton lines={1} />
        ) : info.hasApiKey ? (
          <p>
            {text.savedKey} <code>{info.apiKeyHint}</code>
          </p>
        ) : (
          <p>{text.noKeyYet}</p>
        )}
      </div>
      <ErrorNotice error={action.error ?? current.error} fields={['apiKey']} />
      <StatusNotice message={action.done} />
      <form class="stack" onSubmit={save}>
        <TextField
          label={info?.hasApiKey ? text.replaceKey : text.apiKey}
          type="password"
          autoComplete="off"
          spellcheck={false}
          placeholder={text.apiKeyPlaceholder}
          value={apiKey}
          onValue={setApiKey}
          error={fieldErrors(action.error).apiKey}
        />
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy || apiKey.trim() === ''}>
            {action.busy ? text.checking : text.saveKey}
          </button>
          {info?.hasApiKey && (
            <button type="button" class="danger" disabled={action.busy} onClick={() => setConfirmDelete(true)}>
              {text.deleteKey}
            </button>
          )}
        </div>
      </form>
      <ConfirmDialog
        open={confirmDelete}
        title={text.deleteKeyTitle}
        confirmLabel={text.deleteKey}
        danger
        onConfirm={() => void remove()}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>{text.deleteKeyBody}</p>
      </ConfirmDialog>
    </section>
  );
}

/** What is left of the budget this period (who pays depends on the key above). */
function BudgetSection() {
  const current = useLoader(() => settings.get(), []);
  if (current.error) return <ErrorNotice error={current.error} context={text.couldNotLoadBudget} />;
  if (!current.data) {
    return (
      <section class="card">
        <Skeleton lines={3} />
      </section>
    );
  }
  return <BudgetSummary budget={current.data.budget} />;
}

function DefaultAssistantSection() {
  const session = useSession();
  const list = useLoader(() => assistants.list(), []);
  const [choice, setChoice] = useState<string | undefined>(undefined);
  const action = useAction();
  const selected = choice ?? session.user.defaultAssistantId ?? '';

  const save = async (event: Event) => {
    event.preventDefault();
    const saved = await action.run(async () => (await settings.setDefaultAssistant(selected || null)).message);
    if (saved) await session.refresh();
  };

  const options = [
    { value: '', label: text.noDefault },
    ...(list.data ?? []).map((assistant) => ({ value: assistant.id, label: assistant.name })),
  ];
  return (
    <section class="card" id="default-assistant" aria-labelledby="default-heading">
      <h2 id="default-heading">{text.defaultHeading}</h2>
      <p>{text.defaultIntro}</p>
      <ErrorNotice error={action.error ?? list.error} />
      <StatusNotice message={action.done} />
      <form class="inline-form" onSubmit={save}>
        <SelectField label={text.assistant} value={selected} options={options} onValue={setChoice} disabled={!list.data} />
        <button type="submit" disabled={action.busy || !list.data}>
          {text.saveDefault}
        </button>
      </form>
    </section>
  );
}

function DeleteAccountSection() {
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [typed, setTyped] = useState('');
  const action = useAction();

  const close = () => {
    setOpen(false);
    setPassword('');
    setTyped('');
  };
  const remove = async (event: Event) => {
    event.preventDefault();
    const deleted = await action.run(async () => (await auth.deleteAccount(password)).message);
    if (deleted) session.forget();
  };

  return (
    <section class="card danger-zone" aria-labelledby="delete-heading">
      <h2 id="delete-heading">{text.deleteHeading}</h2>
      <p>{text.deleteIntro}</p>
      <button type="button" class="danger" onClick={() => setOpen(true)}>
        {text.deleteOpen}
      </button>
      <Dialog open={open} title={text.deleteTitle} onClose={close}>
        <form class="stack" onSubmit={remove}>
          <p>
            {text.deleteBodyBefore} <strong>{text.deleteWord}</strong> {text.deleteBodyAfter}
          </p>
          <ErrorNotice error={action.error} fields={['password']} />
          <TextField
            label={text.password}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onValue={setPassword}
            error={fieldErrors(action.error).password}
          />
          <TextField label={format(text.typeToConfirm, { word: text.deleteWord })} autoComplete="off" required value={typed} onValue={setTyped} />
          <div class="actions">
            <button type="button" onClick={close}>
              {common.cancel}
            </button>
            <button type="submit" class="danger" disabled={action.busy || !password || typed.trim().toLowerCase() !== text.deleteWord}>
              {text.deleteMine}
            </button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}

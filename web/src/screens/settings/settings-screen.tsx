import { useState } from 'preact/hooks';
import { assistants, auth, settings } from '../../api/endpoints';
import { Dialog, ConfirmDialog } from '../../components/dialog';
import { ErrorNotice, StatusNotice } from '../../components/error-notice';
import { SelectField, TextField } from '../../components/fields';
import { useLoader } from '../../components/hooks';
import { useAction } from '../../components/use-action';
import { ScreenHeading } from '../../components/screen-heading';
import { fieldErrors } from '../../lib/error-messages';
import { useSession } from '../../session';
import { BudgetSummary } from '../../components/budget-summary';
import { PasswordSection } from './password-section';
import { ApiTokensSection } from './api-tokens-section';

export function SettingsScreen() {
  return (
    <main id="main" class="screen narrow">
      <ScreenHeading>Settings</ScreenHeading>
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
    <section class="card" aria-labelledby="apikey-heading">
      <h2 id="apikey-heading">OpenAI API key</h2>
      <p>
        Your key pays for your conversations. It is checked with OpenAI, stored encrypted, and never shown again: only its
        last characters are.
      </p>
      <p class="key-status" data-testid="api-key-status">
        {info === undefined ? 'Loading…' : info.hasApiKey ? <>Saved key: <code>{info.apiKeyHint}</code></> : 'No key saved yet.'}
      </p>
      <ErrorNotice error={action.error ?? current.error} />
      <StatusNotice message={action.done} />
      <form class="stack" onSubmit={save}>
        <TextField
          label={info?.hasApiKey ? 'Replace the key' : 'API key'}
          type="password"
          autoComplete="off"
          spellcheck={false}
          placeholder="sk-…"
          value={apiKey}
          onValue={setApiKey}
          error={fieldErrors(action.error).apiKey}
        />
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy || apiKey.trim() === ''}>
            {action.busy ? 'Checking…' : 'Save key'}
          </button>
          {info?.hasApiKey && (
            <button type="button" class="danger" disabled={action.busy} onClick={() => setConfirmDelete(true)}>
              Delete key
            </button>
          )}
        </div>
      </form>
      <ConfirmDialog
        open={confirmDelete}
        title="Delete your API key?"
        confirmLabel="Delete key"
        danger
        onConfirm={() => void remove()}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>Chats will stop working until you save a key again.</p>
      </ConfirmDialog>
    </section>
  );
}

/** What is left of the budget this period (who pays depends on the key above). */
function BudgetSection() {
  const current = useLoader(() => settings.get(), []);
  if (current.error) return <ErrorNotice error={current.error} context="Could not load your budget." />;
  return current.data?.budget ? <BudgetSummary budget={current.data.budget} /> : null;
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
    { value: '', label: 'None' },
    ...(list.data ?? []).map((assistant) => ({ value: assistant.id, label: assistant.name })),
  ];
  return (
    <section class="card" aria-labelledby="default-heading">
      <h2 id="default-heading">Default assistant</h2>
      <p>New conversations use this assistant unless you pick another.</p>
      <ErrorNotice error={action.error ?? list.error} />
      <StatusNotice message={action.done} />
      <form class="inline-form" onSubmit={save}>
        <SelectField label="Assistant" value={selected} options={options} onValue={setChoice} disabled={!list.data} />
        <button type="submit" disabled={action.busy || !list.data}>
          Save default
        </button>
      </form>
    </section>
  );
}

const DELETE_WORD = 'delete';

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
      <h2 id="delete-heading">Delete account</h2>
      <p>Deletes your account, assistants, conversations and files. This cannot be undone.</p>
      <button type="button" class="danger" onClick={() => setOpen(true)}>
        Delete account…
      </button>
      <Dialog open={open} title="Delete your account?" onClose={close}>
        <form class="stack" onSubmit={remove}>
          <p>
            Everything you keep here will be deleted for good. Enter your password and type <strong>{DELETE_WORD}</strong> to
            confirm.
          </p>
          <ErrorNotice error={action.error} />
          <TextField
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onValue={setPassword}
            error={fieldErrors(action.error).password}
          />
          <TextField label={`Type "${DELETE_WORD}" to confirm`} autoComplete="off" required value={typed} onValue={setTyped} />
          <div class="actions">
            <button type="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" class="danger" disabled={action.busy || !password || typed.trim().toLowerCase() !== DELETE_WORD}>
              Delete my account
            </button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}

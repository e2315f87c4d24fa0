import { useEffect, useState } from 'preact/hooks';
import { assistants } from '../../api/endpoints';
import type { Assistant } from '../../api/types';
import { ConfirmDialog } from '../../components/dialog';
import { ErrorNotice, StatusNotice } from '../../components/error-notice';
import { ScreenHeading } from '../../components/screen-heading';
import { fieldErrors } from '../../lib/error-messages';
import { Link, navigate } from '../../router';
import { AssistantDocuments } from './assistant-documents';
import { AssistantForm, draftOf, emptyDraft, fieldsOf, validateDraft, type AssistantDraft } from './assistant-form';

export function AssistantEditorScreen({ assistantId }: { assistantId: string }) {
  const creating = assistantId === 'new';
  const [assistant, setAssistant] = useState<Assistant | null>(null);
  const [draft, setDraft] = useState<AssistantDraft>(emptyDraft);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  useEffect(() => {
    if (creating) return;
    assistants.get(assistantId).then(
      (loaded) => {
        setAssistant(loaded);
        setDraft(draftOf(loaded));
      },
      setLoadError,
    );
  }, [assistantId, creating]);

  const save = async (event: Event) => {
    event.preventDefault();
    const problems = validateDraft(draft);
    setErrors(problems);
    setStatus(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    setSaveError(null);
    try {
      const fields = fieldsOf(draft);
      if (creating) {
        const created = await assistants.create(fields);
        navigate(`/assistants/${created.id}`, { replace: true });
        return;
      }
      const updated = await assistants.update(assistantId, fields);
      setAssistant(updated);
      setDraft(draftOf(updated));
      setStatus('Assistant saved.');
    } catch (caught) {
      setSaveError(caught);
      setErrors(fieldErrors(caught));
    } finally {
      setBusy(false);
    }
  };

  // Documents switch file_search on at the server; the form follows, so that saving it does not turn it off again.
  const documentsAdded = () =>
    void assistants.get(assistantId).then((loaded) => {
      if (loaded.tools.some((tool) => tool.type === 'file_search')) {
        setDraft((current) => (current.tools.includes('file_search') ? current : { ...current, tools: [...current.tools, 'file_search'] }));
      }
      setAssistant(loaded);
    }, setSaveError);

  const remove = async () => {
    setBusy(true);
    try {
      await assistants.remove(assistantId);
      navigate('/assistants');
    } catch (caught) {
      setSaveError(caught);
      setConfirmDelete(false);
    } finally {
      setBusy(false);
    }
  };

  if (loadError) {
    return (
      <main id="main" class="screen narrow">
        <ScreenHeading>Assistant</ScreenHeading>
        <ErrorNotice error={loadError} context="Could not load the assistant." />
        <Link href="/assistants">Back to assistants</Link>
      </main>
    );
  }

  const title = creating ? 'New assistant' : (assistant?.name ?? 'Assistant');
  return (
    <main id="main" class="screen narrow">
      <p class="breadcrumb">
        <Link href="/assistants">Assistants</Link>
      </p>
      <ScreenHeading focusKey={assistantId}>{title}</ScreenHeading>
      {!creating && !assistant ? (
        <p aria-live="polite">Loading…</p>
      ) : (
        <>
          <form class="card stack" onSubmit={save} noValidate aria-label="Assistant settings">
            <AssistantForm draft={draft} errors={errors} onChange={setDraft} />
            <ErrorNotice error={saveError} context="Could not save the assistant." />
            <StatusNotice message={status} />
            <div class="actions">
              <button type="submit" class="primary" disabled={busy}>
                {creating ? 'Create assistant' : 'Save changes'}
              </button>
              {!creating && (
                <button type="button" class="danger" disabled={busy} onClick={() => setConfirmDelete(true)}>
                  Delete assistant
                </button>
              )}
            </div>
          </form>
          {assistant ? (
            <AssistantDocuments assistantId={assistant.id} onAdded={documentsAdded} />
          ) : (
            <p class="empty">Create the assistant first, then add documents to it.</p>
          )}
        </>
      )}
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${assistant?.name ?? 'this assistant'}?`}
        confirmLabel="Delete assistant"
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>Its conversations stay readable, without an assistant until you pick another.</p>
      </ConfirmDialog>
    </main>
  );
}

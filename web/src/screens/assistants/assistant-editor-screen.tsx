import { useEffect, useState } from 'preact/hooks';
import { assistants } from '../../api/endpoints';
import type { Assistant } from '../../api/types';
import { ConfirmDialog } from '../../components/dialog';
import { ErrorNotice, StatusNotice } from '../../components/error-notice';
import { ScreenHeading } from '../../components/screen-heading';
import { fieldErrors } from '../../lib/error-messages';
import { Skeleton } from '../../components/skeleton';
import { Link, navigate } from '../../router';
import { assistants as text } from '../../strings/assistants';
import { format } from '../../strings/index';
import { AssistantDocuments } from './assistant-documents';
import { AssistantForm, draftOf, emptyDraft, fieldsOf, validateDraft, type AssistantDraft } from './assistant-form';
import { EMPTY_QUEUE, QueuedDocuments, queueForAssistant, type DocumentQueue } from './queued-documents';

/** The fields the form shows the server's errors next to. */
const FORM_FIELDS = ['name', 'description', 'model', 'instructions', 'temperature', 'metadata'];

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
  const [queue, setQueue] = useState<DocumentQueue>(EMPTY_QUEUE);

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
        queueForAssistant(created.id, queue);
        navigate(`/assistants/${created.id}`, { replace: true });
        return;
      }
      const updated = await assistants.update(assistantId, fields);
      setAssistant(updated);
      setDraft(draftOf(updated));
      setStatus(text.saved);
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
      if (loaded.tools.some((tool) => tool.type === 'file_search') && !draft.tools.includes('file_search')) {
        setDraft((current) => ({ ...current, tools: [...current.tools, 'file_search'] }));
        setStatus(text.fileSearchSwitchedOn);
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
        <ScreenHeading>{text.assistant}</ScreenHeading>
        <ErrorNotice error={loadError} context={text.couldNotLoad} />
        <Link href="/assistants">{text.backToList}</Link>
      </main>
    );
  }

  const title = creating ? text.newAssistant : (assistant?.name ?? text.assistant);
  return (
    <main id="main" class="screen narrow">
      <p class="breadcrumb">
        <Link href="/assistants">{text.title}</Link>
      </p>
      <ScreenHeading focusKey={assistantId}>{title}</ScreenHeading>
      {!creating && !assistant ? (
        <Skeleton lines={8} label={text.assistant} />
      ) : (
        <>
          <form class="card stack" onSubmit={save} noValidate aria-label={text.settingsForm}>
            <AssistantForm draft={draft} errors={errors} onChange={setDraft} />
            <ErrorNotice error={saveError} context={text.couldNotSave} fields={FORM_FIELDS} />
            <StatusNotice message={status} />
            <div class="actions">
              <button type="submit" class="primary" disabled={busy}>
                {creating ? text.create : text.saveChanges}
              </button>
              {!creating && (
                <button type="button" class="danger" disabled={busy} onClick={() => setConfirmDelete(true)}>
                  {text.delete}
                </button>
              )}
            </div>
          </form>
          {assistant ? (
            <AssistantDocuments assistantId={assistant.id} onAdded={documentsAdded} />
          ) : (
            <QueuedDocuments queue={queue} onChange={setQueue} />
          )}
        </>
      )}
      <ConfirmDialog
        open={confirmDelete}
        title={format(text.deleteTitle, { name: assistant?.name ?? text.thisAssistant })}
        confirmLabel={text.delete}
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>{text.deleteBody}</p>
      </ConfirmDialog>
    </main>
  );
}

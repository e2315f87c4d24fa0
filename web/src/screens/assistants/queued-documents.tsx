// Documents picked while a new assistant is being written: kept here until
// it is created, then uploaded by its documents section (see
// assistant-documents.tsx), which shows their progress.
import { DocumentDropZone, type PickedDocuments } from './document-drop-zone';
import { formatBytes } from '../../lib/format';
import { assistants as text } from '../../strings/assistants';
import { format } from '../../strings/index';

export type DocumentQueue = PickedDocuments;

export const EMPTY_QUEUE: DocumentQueue = { files: [], folder: [] };

const waiting = new Map<string, DocumentQueue>();

/** Hands the queue to the assistant just created. */
export function queueForAssistant(assistantId: string, queue: DocumentQueue): void {
  if (queue.files.length + queue.folder.length > 0) waiting.set(assistantId, queue);
}

/** The documents waiting for this assistant, once: whoever takes them uploads them. */
export function takeQueued(assistantId: string): DocumentQueue | undefined {
  const queue = waiting.get(assistantId);
  waiting.delete(assistantId);
  return queue;
}

export function QueuedDocuments({ queue, onChange }: { queue: DocumentQueue; onChange(queue: DocumentQueue): void }) {
  const rows = [
    ...queue.files.map((file, index) => ({ key: `f${index}`, name: file.name, size: file.size, remove: () => onChange({ ...queue, files: queue.files.filter((_, at) => at !== index) }) })),
    ...queue.folder.map((entry, index) => ({
      key: `d${index}`,
      name: format(text.queuedFolder, { name: entry.relativePath }),
      size: entry.file.size,
      remove: () => onChange({ ...queue, folder: queue.folder.filter((_, at) => at !== index) }),
    })),
  ];
  return (
    <section class="card" aria-labelledby="documents-heading">
      <h2 id="documents-heading">{text.documents}</h2>
      <p>{text.queuedIntro}</p>
      <DocumentDropZone onPick={(picked) => onChange({ files: [...queue.files, ...picked.files], folder: [...queue.folder, ...picked.folder] })} />
      {rows.length > 0 && (
        <table class="table documents responsive-table" data-testid="queued-documents">
          <caption class="visually-hidden">{text.queuedCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{text.file}</th>
              <th scope="col">{text.size}</th>
              <th scope="col">
                <span class="visually-hidden">{text.actions}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row" class="file-name" title={row.name} data-label={text.file}>
                  {row.name}
                </th>
                <td data-label={text.size}>{formatBytes(row.size)}</td>
                <td class="row-actions">
                  <button type="button" aria-label={format(text.unqueue, { name: row.name })} onClick={row.remove}>
                    {text.remove}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

// Documents picked while a new assistant is being written: kept here until
// it is created, then uploaded by its documents section (see
// assistant-documents.tsx), which shows their progress.
import { useRef } from 'preact/hooks';
import type { FolderEntry } from '../../api/endpoints';
import { folderEntriesOf, readDroppedFiles } from '../../lib/folder-drop';
import { formatBytes } from '../../lib/format';
import { assistants as text } from '../../strings/assistants';
import { format } from '../../strings/index';

export interface DocumentQueue {
  files: File[];
  folder: FolderEntry[];
}

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
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const rows = [
    ...queue.files.map((file, index) => ({ key: `f${index}`, name: file.name, size: file.size, remove: () => onChange({ ...queue, files: queue.files.filter((_, at) => at !== index) }) })),
    ...queue.folder.map((entry, index) => ({
      key: `d${index}`,
      name: format(text.queuedFolder, { name: entry.relativePath }),
      size: entry.file.size,
      remove: () => onChange({ ...queue, folder: queue.folder.filter((_, at) => at !== index) }),
    })),
  ];
  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    if (!event.dataTransfer) return;
    const dropped = await readDroppedFiles(event.dataTransfer);
    onChange({ files: [...queue.files, ...dropped.files], folder: [...queue.folder, ...dropped.folderFiles] });
  };
  return (
    <section class="card" aria-labelledby="documents-heading">
      <h2 id="documents-heading">{text.documents}</h2>
      <p>{text.queuedIntro}</p>
      <div class="drop-zone" data-testid="drop-zone" onDragOver={(event) => event.preventDefault()} onDrop={(event) => void onDrop(event)}>
        <p>{text.dragHere}</p>
        <div class="actions">
          <button type="button" onClick={() => filesInput.current?.click()}>
            {text.chooseFiles}
          </button>
          <button type="button" onClick={() => folderInput.current?.click()}>
            {text.chooseFolder}
          </button>
        </div>
        <input
          ref={filesInput}
          class="visually-hidden"
          type="file"
          multiple
          tabIndex={-1}
          aria-label={text.documentsToUpload}
          data-testid="documents-input"
          onChange={(event) => {
            const picked = Array.from(event.currentTarget.files ?? []);
            event.currentTarget.value = '';
            onChange({ ...queue, files: [...queue.files, ...picked] });
          }}
        />
        <input
          ref={folderInput}
          class="visually-hidden"
          type="file"
          multiple
          // Not in the typings: lets the user pick a folder; each file then has its webkitRelativePath.
          {...{ webkitdirectory: true }}
          tabIndex={-1}
          aria-label={text.folderToUpload}
          data-testid="folder-input"
          onChange={(event) => {
            const entries = event.currentTarget.files ? folderEntriesOf(event.currentTarget.files) : [];
            event.currentTarget.value = '';
            onChange({ ...queue, folder: [...queue.folder, ...entries] });
          }}
        />
      </div>
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

// Where an assistant's documents are chosen: a drop zone for files and folders,
// with buttons that open the file and folder pickers. What is chosen goes to
// `onPick`: loose files, and files of a folder with their paths.
import { useRef, useState } from 'preact/hooks';
import type { FolderEntry } from '../../api/endpoints';
import { folderEntriesOf, readDroppedFiles } from '../../lib/folder-drop';
import { assistants as text } from '../../strings/assistants';

export interface PickedDocuments {
  files: File[];
  folder: FolderEntry[];
}

export function DocumentDropZone({ disabled = false, onPick }: { disabled?: boolean; onPick(picked: PickedDocuments): void }) {
  const [dragging, setDragging] = useState(false);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (!event.dataTransfer) return;
    const dropped = await readDroppedFiles(event.dataTransfer);
    onPick({ files: dropped.files, folder: dropped.folderFiles });
  };
  return (
    <div
      class={`drop-zone${dragging ? ' drop-zone-active' : ''}`}
      data-testid="drop-zone"
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => void onDrop(event)}
    >
      <p>{text.dragHere}</p>
      <div class="actions">
        <button type="button" disabled={disabled} onClick={() => filesInput.current?.click()}>
          {text.chooseFiles}
        </button>
        <button type="button" disabled={disabled} onClick={() => folderInput.current?.click()}>
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
          onPick({ files: picked, folder: [] });
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
          onPick({ files: [], folder: entries });
        }}
      />
    </div>
  );
}

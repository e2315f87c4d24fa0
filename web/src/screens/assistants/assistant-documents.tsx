// The assistant's documents: add them by picking files, a whole folder, or by
// dragging either in; each shows its indexing status, polled while processing.
import { useEffect, useState } from 'preact/hooks';
import { assistants, files, type FolderEntry } from '../../api/endpoints';
import type { FileStatus, StoredFile, UploadResult } from '../../api/types';
import { ErrorNotice, StatusNotice } from '../../components/error-notice';
import { useInterval, useLoader } from '../../components/hooks';
import { Skeleton } from '../../components/skeleton';
import { formatBytes } from '../../lib/format';
import { assistants as text } from '../../strings/assistants';
import { format } from '../../strings/index';
import { DocumentDropZone, type PickedDocuments } from './document-drop-zone';
import { takeQueued } from './queued-documents';

const POLL_MS = 1500;
const STATUS_LABELS: Record<FileStatus, string> = { processing: text.statusProcessing, ready: text.statusReady, failed: text.statusFailed };

function statusFor(file: StoredFile, assistantId: string): { status: FileStatus; error: string | null } {
  const attachment = file.assistants?.find((entry) => entry.assistantId === assistantId);
  return attachment ? { status: attachment.status, error: attachment.error } : { status: file.status, error: file.error };
}

function summaryOf(result: UploadResult): string {
  const skipped = result.skipped ?? [];
  const count = result.fileIds.length;
  const added = format(count === 1 ? text.oneFileAdded : text.manyFilesAdded, { count });
  if (skipped.length === 0) return format(text.addedSummary, { added });
  const left = skipped.map((entry) => format(text.skippedEntry, { name: entry.name, reason: entry.reason })).join(', ');
  return format(text.addedWithSkipped, { added, skipped: left });
}

/** `onAdded`: documents were added (the server may have switched file_search on). */
export function AssistantDocuments({ assistantId, onAdded }: { assistantId: string; onAdded?: () => void }) {
  const documents = useLoader(() => assistants.files(assistantId), [assistantId]);
  const [uploading, setUploading] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);

  const list = documents.data?.files ?? [];
  const anyProcessing = list.some((file) => statusFor(file, assistantId).status === 'processing');
  useInterval(() => void documents.reload(), POLL_MS, anyProcessing && !uploading);

  const upload = async (what: string, action: () => Promise<UploadResult>) => {
    setUploading(what);
    setError(null);
    setStatus(null);
    try {
      setStatus(summaryOf(await action()));
      onAdded?.();
    } catch (caught) {
      setError(caught);
    } finally {
      setUploading(null);
      await documents.reload();
    }
  };
  const uploadFiles = (picked: File[]) =>
    picked.length > 0 &&
    upload(format(picked.length === 1 ? text.uploadingOne : text.uploadingMany, { count: picked.length }), () => assistants.upload(assistantId, picked));
  const uploadFolder = (entries: FolderEntry[]) =>
    entries.length > 0 && upload(format(text.uploadingFolder, { count: entries.length }), () => files.uploadFolder(entries, assistantId));

  const uploadPicked = async (picked: PickedDocuments) => {
    await uploadFolder(picked.folder);
    await uploadFiles(picked.files);
  };

  // Documents chosen before the assistant was created go up as soon as it exists.
  useEffect(() => {
    const queued = takeQueued(assistantId);
    if (queued) void uploadPicked(queued);
  }, [assistantId]);


  const act = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught);
    }
    await documents.reload();
  };

  const counts = list.reduce<Record<FileStatus, number>>(
    (total, file) => ({ ...total, [statusFor(file, assistantId).status]: total[statusFor(file, assistantId).status] + 1 }),
    { processing: 0, ready: 0, failed: 0 },
  );

  return (
    <section class="card" aria-labelledby="documents-heading">
      <h2 id="documents-heading">{text.documents}</h2>
      <p>{text.documentsIntro}</p>
      <DocumentDropZone disabled={uploading !== null} onPick={(picked) => void uploadPicked(picked)} />
      <ErrorNotice error={error ?? documents.error} />
      <StatusNotice message={uploading ?? status} persistent={uploading !== null} />
      {list.length === 0 ? (
        documents.loading && !documents.data ? (
          <Skeleton lines={2} />
        ) : (
          <p class="empty">{text.noDocuments}</p>
        )
      ) : (
        <>
          <p class="meta" aria-live="polite" data-testid="documents-summary">
            {format(text.documentsSummary, counts)}
          </p>
          <table class="table documents responsive-table">
            <caption class="visually-hidden">{text.documentsCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{text.file}</th>
                <th scope="col">{text.size}</th>
                <th scope="col">{text.status}</th>
                <th scope="col">
                  <span class="visually-hidden">{text.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((file) => {
                const { status: fileStatus, error: fileError } = statusFor(file, assistantId);
                const name = file.relativePath ?? file.filename;
                return (
                  <tr key={file.id} data-status={fileStatus}>
                    <th scope="row" class="file-name" data-label={text.file}>
                      <a href={files.contentUrl(file.id)} download={file.filename} title={name}>
                        {name}
                      </a>
                    </th>
                    <td data-label={text.size}>{formatBytes(file.sizeBytes)}</td>
                    <td data-label={text.status}>
                      <span class={`badge status-${fileStatus}`}>{STATUS_LABELS[fileStatus]}</span>
                      {fileError && <span class="field-error"> {fileError}</span>}
                    </td>
                    <td class="row-actions">
                      {fileStatus === 'failed' && (
                        <button type="button" aria-label={format(text.retryFile, { name })} onClick={() => void act(() => files.retry(file.id))}>
                          {text.retry}
                        </button>
                      )}
                      <button
                        type="button"
                        aria-label={format(text.removeFile, { name })}
                        onClick={() => void act(() => assistants.detachFile(assistantId, file.id))}
                      >
                        {text.remove}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

// Files going with the next message: each uploaded as soon as it is picked,
// pasted or dropped. Images show a preview; other files (documents) go as
// attachments the server reads for the turn.
import { useEffect, useRef, useState } from 'preact/hooks';
import { files as fileRoutes } from '../../api/endpoints';
import type { StoredFile } from '../../api/types';

export const IMAGE_TYPES = 'image/png,image/jpeg,image/gif,image/webp';
const IMAGE_TYPE_LIST = IMAGE_TYPES.split(',');

export interface Attachment {
  key: string;
  file: File;
  /** An object URL for images; none for documents. */
  previewUrl?: string;
  state: 'uploading' | 'ready' | 'failed';
  stored?: StoredFile;
}

export const isImage = (file: File) => IMAGE_TYPE_LIST.includes(file.type);

export function useAttachments(onUploaded: (files: StoredFile[]) => void) {
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [uploadError, setUploadError] = useState<unknown>(null);

  // Previews are object URLs: give them back when they leave.
  const latest = useRef(attachments);
  latest.current = attachments;
  useEffect(() => () => latest.current.forEach((attachment) => attachment.previewUrl && URL.revokeObjectURL(attachment.previewUrl)), []);

  const update = (key: string, change: Partial<Attachment>) =>
    setAttachments((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item)));

  const attach = async (picked: File[]) => {
    setUploadError(null);
    const added: Attachment[] = picked.map((file, index) => ({
      key: `${Date.now()}-${index}-${file.name}`,
      file,
      previewUrl: isImage(file) ? URL.createObjectURL(file) : undefined,
      state: 'uploading',
    }));
    setAttachments((current) => [...current, ...added]);
    for (const attachment of added) {
      try {
        const result = await fileRoutes.upload([attachment.file]);
        const stored = result.files?.[0] ?? (await fileRoutes.get(result.fileIds[0]));
        onUploaded([stored]);
        update(attachment.key, { state: 'ready', stored });
      } catch (caught) {
        setUploadError(caught);
        update(attachment.key, { state: 'failed' });
      }
    }
  };

  const detach = (key: string) =>
    setAttachments((current) => {
      const leaving = current.find((attachment) => attachment.key === key);
      if (leaving?.previewUrl) URL.revokeObjectURL(leaving.previewUrl);
      return current.filter((attachment) => attachment.key !== key);
    });

  /** Takes the uploaded attachments out for sending; `restore` puts them back if the message was refused. */
  const take = () => {
    const ready = attachments.filter((attachment) => attachment.state === 'ready');
    setAttachments((current) => current.filter((attachment) => attachment.state !== 'ready'));
    return {
      fileIds: ready.map((attachment) => attachment.stored!.id),
      sent: () => ready.forEach((attachment) => attachment.previewUrl && URL.revokeObjectURL(attachment.previewUrl)),
      restore: () => setAttachments((current) => [...ready, ...current]),
    };
  };

  return { attachments, uploadError, attach, detach, take, uploading: attachments.some((attachment) => attachment.state === 'uploading') };
}

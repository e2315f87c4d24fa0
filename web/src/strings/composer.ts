// User-facing words of the composer part of the client (see index.ts).
export const composer = {
  model: 'Model',
  modelDefault: 'Default ({model})',
  unknownModel: 'Your OpenAI key does not offer this model: check the name.',
  modelUnavailable: 'The list of models could not be read; the default model answers.',
  attachFailed: 'The file could not be attached.',
  notAnImage: '{name} is not an image: it is attached as a document.',
  dropHere: 'Drop images or documents to attach them',
  filesToSend: 'Files to send',
  documentAttached: 'Document',
  lengthCounter: '{count} / {max} characters',
  tooLong: 'The message is {over} characters over the limit.',
} as const;

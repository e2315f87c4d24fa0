import { chatModels, isChatModel } from './chat-models.js';

describe('chat models', () => {
  it('keeps the models that answer text, fine-tunes included', () => {
    for (const id of ['gpt-4o', 'gpt-4.1-mini', 'o3-mini', 'gpt-5', 'chatgpt-4o-latest', 'ft:gpt-4o-mini:acme::abc']) expect(isChatModel(id)).toBe(true);
  });

  it('leaves out embeddings, speech, images, moderation, search and realtime models', () => {
    for (const id of [
      'text-embedding-3-small',
      'tts-1',
      'whisper-1',
      'gpt-4o-transcribe',
      'dall-e-3',
      'gpt-image-1',
      'omni-moderation-latest',
      'gpt-4o-search-preview',
      'gpt-4o-realtime-preview',
      'gpt-4o-audio-preview',
      'davinci-002',
    ])
      expect(isChatModel(id)).toBe(false);
  });

  it('answers each chat model once, sorted', () => {
    expect(chatModels(['gpt-5', 'tts-1', 'gpt-4o', 'gpt-5'])).toEqual(['gpt-4o', 'gpt-5']);
  });
});

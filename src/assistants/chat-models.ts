/**
 * Which of a provider's model ids can hold a conversation: the families that
 * answer text (gpt-*, o-series, chatgpt-*), without the ones made for other
 * work (embeddings, speech, transcription, images, moderation, search, realtime).
 * Ids of other shapes (a fine-tune "ft:gpt-4o:…", a local model) are kept
 * unless they name such work.
 */
const OTHER_WORK = /(embedding|tts|whisper|transcribe|dall-e|gpt-image|image|moderation|realtime|audio|search|computer-use|davinci|babbage|sora)/i;

export function isChatModel(id: string): boolean {
  return !OTHER_WORK.test(id);
}

/** The chat models of a list, each once, sorted by name. */
export function chatModels(ids: readonly string[]): string[] {
  return [...new Set(ids.filter(isChatModel))].sort((a, b) => a.localeCompare(b));
}

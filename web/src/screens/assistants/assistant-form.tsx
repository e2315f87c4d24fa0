// Every field of an assistant: name, description, model, instructions,
// temperature, tools, metadata and whether it is active.
import { useId } from 'preact/hooks';
import type { AssistantFields, ToolType } from '../../api/types';
import { TextAreaField, TextField } from '../../components/fields';
import { strings } from '../../strings';
import { useChatModels } from '../chat/use-chat-models';
import { assistants as text } from '../../strings/assistants';
import { format } from '../../strings/index';

export const TOOL_LABELS: Record<ToolType, string> = {
  file_search: text.toolFileSearch,
  web_search: text.toolWebSearch,
  code_interpreter: text.toolCodeInterpreter,
};

const TOOL_HINTS: Record<ToolType, string> = {
  file_search: text.hintFileSearch,
  web_search: text.hintWebSearch,
  code_interpreter: text.hintCodeInterpreter,
};

const SUGGESTED_MODELS = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano'];
export const MAX_METADATA_PAIRS = 16;

/** The form's state: text as typed, turned into AssistantFields on save. */
export interface AssistantDraft {
  name: string;
  description: string;
  model: string;
  instructions: string;
  temperature: string;
  tools: ToolType[];
  metadata: Array<{ key: string; value: string }>;
  isActive: boolean;
}

/** A new assistant searches its documents unless told otherwise. */
export function emptyDraft(): AssistantDraft {
  return { name: '', description: '', model: '', instructions: '', temperature: '', tools: ['file_search'], metadata: [], isActive: true };
}

export function draftOf(fields: AssistantFields): AssistantDraft {
  return {
    name: fields.name,
    description: fields.description ?? '',
    model: fields.model,
    instructions: fields.instructions ?? '',
    temperature: fields.temperature === null ? '' : String(fields.temperature),
    tools: fields.tools.map((tool) => tool.type),
    metadata: Object.entries(fields.metadata).map(([key, value]) => ({ key, value })),
    isActive: fields.isActive,
  };
}

/** Checks what the server would refuse anyway, so the message sits next to the field. */
export function validateDraft(draft: AssistantDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!draft.name.trim()) errors.name = text.nameRequired;
  if (draft.temperature.trim() !== '') {
    const value = Number(draft.temperature);
    if (!Number.isFinite(value) || value < 0 || value > 2) errors.temperature = text.temperatureRange;
  }
  const keys = draft.metadata.map((pair) => pair.key.trim());
  if (keys.some((key) => key === '')) errors.metadata = text.metadataKeyRequired;
  else if (new Set(keys).size !== keys.length) errors.metadata = text.metadataKeysDiffer;
  return errors;
}

export function fieldsOf(draft: AssistantDraft): Partial<AssistantFields> & { name: string } {
  return {
    name: draft.name.trim(),
    description: draft.description.trim() || null,
    ...(draft.model.trim() ? { model: draft.model.trim() } : {}),
    instructions: draft.instructions.trim() ? draft.instructions : null,
    temperature: draft.temperature.trim() === '' ? null : Number(draft.temperature),
    tools: draft.tools.map((type) => ({ type })),
    metadata: Object.fromEntries(draft.metadata.map(({ key, value }) => [key.trim(), value])),
    isActive: draft.isActive,
  };
}

interface Props {
  draft: AssistantDraft;
  errors: Record<string, string>;
  onChange(draft: AssistantDraft): void;
}

export function AssistantForm({ draft, errors, onChange }: Props) {
  const modelsId = useId();
  const chatModels = useChatModels();
  const offered = chatModels?.available ? chatModels.models : SUGGESTED_MODELS;
  const model = draft.model.trim();
  const unknownModel = chatModels?.available === true && model !== '' && !chatModels.models.includes(model);
  const set = <K extends keyof AssistantDraft>(key: K, value: AssistantDraft[K]) => onChange({ ...draft, [key]: value });
  const toggleTool = (tool: ToolType, on: boolean) =>
    set('tools', on ? [...draft.tools, tool] : draft.tools.filter((existing) => existing !== tool));

  return (
    <div class="stack">
      <TextField label={text.name} required maxLength={256} value={draft.name} onValue={(value) => set('name', value)} error={errors.name} />
      <TextField
        label={text.description}
        maxLength={512}
        value={draft.description}
        onValue={(value) => set('description', value)}
        error={errors.description}
      />
      <TextField
        label={text.model}
        list={modelsId}
        maxLength={128}
        placeholder={text.modelPlaceholder}
        value={draft.model}
        onValue={(value) => set('model', value)}
        error={errors.model}
        hint={unknownModel ? <span class="field-warning">{strings.composer.unknownModel}</span> : undefined}
      />
      <datalist id={modelsId}>
        {offered.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <TextAreaField
        label={text.instructions}
        rows={6}
        value={draft.instructions}
        onValue={(value) => set('instructions', value)}
        error={errors.instructions}
        hint={text.instructionsHint}
      />
      <TextField
        label={text.temperature}
        type="number"
        inputMode="decimal"
        min={0}
        max={2}
        step={0.1}
        value={draft.temperature}
        onValue={(value) => set('temperature', value)}
        error={errors.temperature}
        hint={text.temperatureHint}
      />
      <fieldset class="field">
        <legend>{text.tools}</legend>
        {(Object.keys(TOOL_LABELS) as ToolType[]).map((tool) => (
          <label key={tool} class="check">
            <input type="checkbox" checked={draft.tools.includes(tool)} onChange={(event) => toggleTool(tool, event.currentTarget.checked)} />
            <span>
              {TOOL_LABELS[tool]} <span class="field-hint">{format(text.toolHintDash, { hint: TOOL_HINTS[tool] })}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <MetadataEditor pairs={draft.metadata} error={errors.metadata} onChange={(pairs) => set('metadata', pairs)} />
      <label class="check">
        <input type="checkbox" checked={draft.isActive} onChange={(event) => set('isActive', event.currentTarget.checked)} />
        <span>{text.active}</span>
      </label>
    </div>
  );
}

function MetadataEditor({
  pairs,
  error,
  onChange,
}: {
  pairs: Array<{ key: string; value: string }>;
  error?: string;
  onChange(pairs: Array<{ key: string; value: string }>): void;
}) {
  const errorId = useId();
  const update = (index: number, change: Partial<{ key: string; value: string }>) =>
    onChange(pairs.map((pair, at) => (at === index ? { ...pair, ...change } : pair)));
  return (
    <fieldset class="field metadata" aria-describedby={error ? errorId : undefined}>
      <legend>{text.metadata}</legend>
      <p class="field-hint">{format(text.metadataHint, { max: MAX_METADATA_PAIRS })}</p>
      {pairs.map((pair, index) => (
        <div class="metadata-row" key={index}>
          <input
            aria-label={format(text.metadataKey, { index: index + 1 })}
            maxLength={64}
            placeholder={text.keyPlaceholder}
            value={pair.key}
            onInput={(event) => update(index, { key: event.currentTarget.value })}
          />
          <input
            aria-label={format(text.metadataValue, { index: index + 1 })}
            maxLength={512}
            placeholder={text.valuePlaceholder}
            value={pair.value}
            onInput={(event) => update(index, { value: event.currentTarget.value })}
          />
          <button type="button" aria-label={format(text.removeMetadata, { name: pair.key || index + 1 })} onClick={() => onChange(pairs.filter((_, at) => at !== index))}>
            {text.remove}
          </button>
        </div>
      ))}
      {error && (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      )}
      <button type="button" disabled={pairs.length >= MAX_METADATA_PAIRS} onClick={() => onChange([...pairs, { key: '', value: '' }])}>
        {text.addMetadata}
      </button>
    </fieldset>
  );
}

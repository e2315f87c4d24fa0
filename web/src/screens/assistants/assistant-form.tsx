// Every field of an assistant: name, description, model, instructions,
// temperature, tools, metadata and whether it is active.
import { useId } from 'preact/hooks';
import type { AssistantFields, ToolType } from '../../api/types';
import { TextAreaField, TextField } from '../../components/fields';
import { strings } from '../../strings';
import { useChatModels } from '../chat/use-chat-models';

export const TOOL_LABELS: Record<ToolType, string> = {
  file_search: 'File search',
  web_search: 'Web search',
  code_interpreter: 'Code interpreter',
};

const TOOL_HINTS: Record<ToolType, string> = {
  file_search: 'Answers from the documents below, citing them.',
  web_search: 'Looks things up on the web.',
  code_interpreter: 'Runs Python to calculate and analyse.',
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

export function emptyDraft(): AssistantDraft {
  return { name: '', description: '', model: '', instructions: '', temperature: '', tools: [], metadata: [], isActive: true };
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
  if (!draft.name.trim()) errors.name = 'Give the assistant a name.';
  if (draft.temperature.trim() !== '') {
    const value = Number(draft.temperature);
    if (!Number.isFinite(value) || value < 0 || value > 2) errors.temperature = 'Use a number from 0 to 2, or leave it empty.';
  }
  const keys = draft.metadata.map((pair) => pair.key.trim());
  if (keys.some((key) => key === '')) errors.metadata = 'Every metadata entry needs a key.';
  else if (new Set(keys).size !== keys.length) errors.metadata = 'Metadata keys must differ.';
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
      <TextField label="Name" required maxLength={256} value={draft.name} onValue={(value) => set('name', value)} error={errors.name} />
      <TextField
        label="Description"
        maxLength={512}
        value={draft.description}
        onValue={(value) => set('description', value)}
        error={errors.description}
      />
      <TextField
        label="Model"
        list={modelsId}
        maxLength={128}
        placeholder="The platform's default model"
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
        label="Instructions"
        rows={6}
        value={draft.instructions}
        onValue={(value) => set('instructions', value)}
        error={errors.instructions}
        hint="How the assistant should behave: its role, tone and rules."
      />
      <TextField
        label="Temperature"
        type="number"
        inputMode="decimal"
        min={0}
        max={2}
        step={0.1}
        value={draft.temperature}
        onValue={(value) => set('temperature', value)}
        error={errors.temperature}
        hint="0 (focused) to 2 (varied). Empty: the model's default."
      />
      <fieldset class="field">
        <legend>Tools</legend>
        {(Object.keys(TOOL_LABELS) as ToolType[]).map((tool) => (
          <label key={tool} class="check">
            <input type="checkbox" checked={draft.tools.includes(tool)} onChange={(event) => toggleTool(tool, event.currentTarget.checked)} />
            <span>
              {TOOL_LABELS[tool]} <span class="field-hint">— {TOOL_HINTS[tool]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <MetadataEditor pairs={draft.metadata} error={errors.metadata} onChange={(pairs) => set('metadata', pairs)} />
      <label class="check">
        <input type="checkbox" checked={draft.isActive} onChange={(event) => set('isActive', event.currentTarget.checked)} />
        <span>Active (an inactive assistant keeps its conversations but does not answer)</span>
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
      <legend>Metadata</legend>
      <p class="field-hint">Your own labels, e.g. team = support (up to {MAX_METADATA_PAIRS}).</p>
      {pairs.map((pair, index) => (
        <div class="metadata-row" key={index}>
          <input
            aria-label={`Metadata key ${index + 1}`}
            maxLength={64}
            placeholder="key"
            value={pair.key}
            onInput={(event) => update(index, { key: event.currentTarget.value })}
          />
          <input
            aria-label={`Metadata value ${index + 1}`}
            maxLength={512}
            placeholder="value"
            value={pair.value}
            onInput={(event) => update(index, { value: event.currentTarget.value })}
          />
          <button type="button" aria-label={`Remove metadata ${pair.key || index + 1}`} onClick={() => onChange(pairs.filter((_, at) => at !== index))}>
            Remove
          </button>
        </div>
      ))}
      {error && (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      )}
      <button type="button" disabled={pairs.length >= MAX_METADATA_PAIRS} onClick={() => onChange([...pairs, { key: '', value: '' }])}>
        Add metadata
      </button>
    </fieldset>
  );
}

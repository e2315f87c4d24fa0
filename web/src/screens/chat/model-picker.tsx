// The model that answers the next turns: the default (the assistant's, or the
// plain chat's) or one of the models the user's key may use.
import { useEffect, useState } from 'preact/hooks';
import { conversation, type ModelList } from '../../api/conversation';
import { format, strings } from '../../strings';

const words = strings.composer;

interface Props {
  value: string | undefined;
  defaultModel: string | undefined;
  disabled: boolean;
  onChange(model: string | undefined): void;
}

export function ModelPicker({ value, defaultModel, disabled, onChange }: Props) {
  const [list, setList] = useState<ModelList | null>(null);
  useEffect(() => {
    conversation.models().then(setList, () => setList({ models: [], available: false }));
  }, []);
  if (!list) return null;
  if (!list.available) {
    return (
      <p class="field-hint model-note" title={words.modelUnavailable}>
        {defaultModel}
      </p>
    );
  }
  const others = list.models.filter((model) => model !== defaultModel);
  return (
    <label class="model-picker">
      <span class="visually-hidden">{words.model}</span>
      <select value={value ?? ''} disabled={disabled} onChange={(event) => onChange(event.currentTarget.value || undefined)}>
        <option value="">{format(words.modelDefault, { model: defaultModel ?? '' })}</option>
        {others.map((model) => (
          <option key={model} value={model}>
            {model}
          </option>
        ))}
      </select>
    </label>
  );
}

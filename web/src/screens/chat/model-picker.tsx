// The model that answers the next turns: the default (the assistant's, or the
// plain chat's) or one of the models the user's key may use.
import { format, strings } from '../../strings';
import { useChatModels } from './use-chat-models';

const words = strings.composer;

interface Props {
  value: string | undefined;
  defaultModel: string | undefined;
  disabled: boolean;
  onChange(model: string | undefined): void;
}

export function ModelPicker({ value, defaultModel, disabled, onChange }: Props) {
  const list = useChatModels();
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
    <select class="model-picker" aria-label={words.model} value={value ?? ''} disabled={disabled} onChange={(event) => onChange(event.currentTarget.value || undefined)}>
      <option value="">{format(words.modelDefault, { model: defaultModel ?? '' })}</option>
      {others.map((model) => (
        <option key={model} value={model}>
          {model}
        </option>
      ))}
    </select>
  );
}

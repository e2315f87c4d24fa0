// Labelled form controls: each has a visible label, and its error is linked
// with aria-describedby so a screen reader reads it with the field.
import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useId } from 'preact/hooks';

interface FieldShell {
  label: string;
  error?: string;
  hint?: ComponentChildren;
  disabled?: boolean;
  required?: boolean;
}

function describedBy(id: string, error?: string, hint?: ComponentChildren): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function FieldFrame({ id, label, error, hint, children }: FieldShell & { id: string; children: ComponentChildren }) {
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

interface TextFieldProps extends FieldShell {
  value: string;
  onValue(value: string): void;
  type?: 'text' | 'email' | 'password' | 'number' | 'search' | 'date';
  autofocus?: boolean;
  placeholder?: string;
  autoComplete?: string;
  inputMode?: 'text' | 'decimal' | 'numeric' | 'email';
  spellcheck?: boolean;
  list?: string;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  step?: number;
}

export function TextField({ label, error, hint, onValue, type = 'text', ...input }: TextFieldProps) {
  const id = useId();
  // Preact types each input type's allowed attributes separately; these props are valid for the types used here.
  const attributes = { id, type, ...input } as InputHTMLAttributes<HTMLInputElement>;
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      <input
        {...attributes}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        onInput={(event) => onValue(event.currentTarget.value)}
      />
    </FieldFrame>
  );
}

interface TextAreaFieldProps extends FieldShell {
  value: string;
  onValue(value: string): void;
  rows?: number;
  placeholder?: string;
  maxLength?: number;
}

export function TextAreaField({ label, error, hint, onValue, ...textarea }: TextAreaFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      <textarea
        id={id}
        {...textarea}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        onInput={(event) => onValue(event.currentTarget.value)}
      />
    </FieldFrame>
  );
}

interface SelectFieldProps extends FieldShell {
  value: string;
  onValue(value: string): void;
  options: Array<{ value: string; label: string }>;
}

export function SelectField({ label, error, hint, options, onValue, ...select }: SelectFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      <select
        id={id}
        {...select}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        onChange={(event) => onValue(event.currentTarget.value)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

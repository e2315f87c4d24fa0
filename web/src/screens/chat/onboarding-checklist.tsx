// The first-run checklist on an empty chat: save a key, (optionally) create
// an assistant, send a first message. Each step ticks off from what the
// account really has; the person can hide the list for good.
import { useState } from 'preact/hooks';
import { threads } from '../../api/endpoints';
import { useLoader } from '../../components/hooks';
import { Link } from '../../router';
import { onboarding as text } from '../../strings/onboarding';

const DISMISSED_KEY = 'onboarding-dismissed:';

function isDismissed(userId: string): boolean {
  try {
    return window.localStorage.getItem(DISMISSED_KEY + userId) === '1';
  } catch {
    return false;
  }
}

interface Props {
  userId: string;
  /** A key of one's own is saved. */
  ownKey: boolean;
  /** The service lends its shared key to users without one. */
  sharedKey: boolean;
  assistantCount: number;
}

export function OnboardingChecklist({ userId, ownKey, sharedKey, assistantCount }: Props) {
  const [dismissed, setDismissed] = useState(() => isDismissed(userId));
  const chats = useLoader(() => threads.list({ limit: 1, archived: false }), []);
  if (dismissed || !chats.data) return null;
  const steps = [
    { key: 'key', label: sharedKey && !ownKey ? text.keyStepShared : text.keyStep, done: ownKey || sharedKey, href: '/settings#api-key', action: text.keyAction },
    { key: 'assistant', label: text.assistantStep, done: assistantCount > 0, href: '/assistants/new', action: text.assistantAction },
    { key: 'message', label: text.messageStep, done: chats.data.total > 0, href: undefined, action: text.messageAction },
  ];
  if (steps.every((step) => step.done)) return null;
  const dismiss = () => {
    try {
      window.localStorage.setItem(DISMISSED_KEY + userId, '1');
    } catch {
      // Without storage the list is hidden until the page reloads.
    }
    setDismissed(true);
  };
  return (
    <section class="onboarding card" aria-labelledby="onboarding-heading" data-testid="onboarding">
      <div class="onboarding-head">
        <h2 id="onboarding-heading">{text.heading}</h2>
        <button type="button" class="link-button" onClick={dismiss}>
          {text.dismiss}
        </button>
      </div>
      <p>{text.intro}</p>
      <ol class="onboarding-steps">
        {steps.map((step) => (
          <li key={step.key} class={step.done ? 'step-done' : 'step-todo'} data-step={step.key} data-done={step.done}>
            <span class="step-mark" aria-hidden="true">
              {step.done ? '✓' : '○'}
            </span>
            <span class="visually-hidden">{step.done ? text.done : text.todo}</span>
            <span class="step-label">{step.label}</span>
            {!step.done && step.href && <Link href={step.href}>{step.action}</Link>}
            {!step.done && !step.href && <span class="meta">{step.action}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { adminSignup, type SignupPolicyName } from '../../api/admin';
import { ErrorNotice, StatusNotice } from '../../components/error-notice';
import { TextAreaField } from '../../components/fields';
import { useLoader } from '../../components/hooks';
import { useAction } from '../../components/use-action';
import { fieldErrors } from '../../lib/error-messages';
import { formatDateTime } from '../../lib/format';
import { InvitesPanel } from './invites-panel';

const POLICIES: Array<{ value: SignupPolicyName; label: string; hint: string }> = [
  { value: 'open', label: 'Open', hint: 'Anyone can create an account.' },
  { value: 'invite', label: 'By invite', hint: 'Only people with an invite link can create an account.' },
  { value: 'domain', label: 'Listed domains', hint: 'Only e-mail addresses of the domains listed below.' },
  { value: 'closed', label: 'Closed', hint: 'Nobody can create an account.' },
];

function parseDomains(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((domain) => domain.trim())
    .filter(Boolean);
}

export function SignupPanel() {
  return (
    <>
      <PolicySection />
      <InvitesPanel />
    </>
  );
}

function PolicySection() {
  const current = useLoader(() => adminSignup.policy(), []);
  const [policy, setPolicy] = useState<SignupPolicyName>('open');
  const [domains, setDomains] = useState('');
  const action = useAction();
  useEffect(() => {
    if (!current.data) return;
    setPolicy(current.data.policy);
    setDomains(current.data.domains.join('\n'));
  }, [current.data]);

  const save = async (event: Event) => {
    event.preventDefault();
    await action.run(async () => {
      // The domains are kept as they are unless the domain policy is chosen.
      const saved = await adminSignup.setPolicy(policy, policy === 'domain' ? parseDomains(domains) : undefined);
      current.setData(saved);
      return 'Sign-up policy saved.';
    });
  };

  const data = current.data;
  return (
    <section class="card" aria-labelledby="policy-heading">
      <h2 id="policy-heading">Who may sign up</h2>
      <ErrorNotice error={current.error} context="Could not load the sign-up policy." />
      {!data ? (
        !current.error && <p aria-live="polite">Loading the policy…</p>
      ) : (
        <form class="stack" onSubmit={save}>
          <ErrorNotice error={action.error} context="Could not save the policy." />
          <StatusNotice message={action.done} />
          <fieldset class="field choice-list">
            <legend>Sign-up policy</legend>
            {POLICIES.map((option) => (
              <label key={option.value} class="check">
                <input type="radio" name="signup-policy" value={option.value} checked={policy === option.value} onChange={() => setPolicy(option.value)} />
                <span>
                  <strong>{option.label}</strong> <span class="field-hint">{option.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {policy === 'domain' && (
            <TextAreaField
              label="Allowed e-mail domains"
              rows={3}
              placeholder="example.org"
              value={domains}
              onValue={setDomains}
              hint="One per line, such as example.org."
              error={fieldErrors(action.error).domains}
            />
          )}
          <div class="actions">
            <button type="submit" class="primary" disabled={action.busy}>
              {action.busy ? 'Saving…' : 'Save policy'}
            </button>
            <span class="meta">Last changed {formatDateTime(data.updatedAt)}</span>
          </div>
        </form>
      )}
    </section>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { adminSignup, type SignupPolicyName } from '../../api/admin';
import { ErrorNotice, StatusNotice } from '../../components/error-notice';
import { TextAreaField } from '../../components/fields';
import { useLoader } from '../../components/hooks';
import { useAction } from '../../components/use-action';
import { fieldErrors } from '../../lib/error-messages';
import { formatDateTime } from '../../lib/format';
import { Skeleton } from '../../components/skeleton';
import { admin as text } from '../../strings/admin';
import { format } from '../../strings/index';
import { InvitesPanel } from './invites-panel';

const POLICIES: Array<{ value: SignupPolicyName; label: string; hint: string }> = [
  { value: 'open', label: text.policyOpen, hint: text.policyOpenHint },
  { value: 'invite', label: text.policyInvite, hint: text.policyInviteHint },
  { value: 'domain', label: text.policyDomain, hint: text.policyDomainHint },
  { value: 'closed', label: text.policyClosed, hint: text.policyClosedHint },
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
      return text.policySaved;
    });
  };

  const data = current.data;
  return (
    <section class="card" aria-labelledby="policy-heading">
      <h2 id="policy-heading">{text.whoMaySignUp}</h2>
      <ErrorNotice error={current.error} context={text.couldNotLoadPolicy} />
      {!data ? (
        !current.error && <Skeleton lines={5} label={text.signupPolicy} />
      ) : (
        <form class="stack" onSubmit={save}>
          <ErrorNotice error={action.error} context={text.couldNotSavePolicy} fields={['domains']} />
          <StatusNotice message={action.done} />
          <fieldset class="field choice-list">
            <legend>{text.signupPolicy}</legend>
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
              label={text.allowedDomains}
              rows={3}
              placeholder={text.domainsPlaceholder}
              value={domains}
              onValue={setDomains}
              hint={text.domainsHint}
              error={fieldErrors(action.error).domains}
            />
          )}
          <div class="actions">
            <button type="submit" class="primary" disabled={action.busy}>
              {action.busy ? text.saving : text.savePolicy}
            </button>
            <span class="meta">{format(text.lastChanged, { when: formatDateTime(data.updatedAt) })}</span>
          </div>
        </form>
      )}
    </section>
  );
}

// Settings: the user's personal API tokens (create, see once, list, revoke).
import { useState } from 'preact/hooks';
import { apiTokens, type ApiToken, type CreatedApiToken } from '../../api/tokens';
import { ConfirmDialog } from '../../components/dialog';
import { ErrorNotice, StatusNotice } from '../../components/error-notice';
import { useLoader } from '../../components/hooks';
import { useAction } from '../../components/use-action';
import { formatDateTime } from '../../lib/format';
import { format, strings } from '../../strings';
import { CreatedToken, NewTokenForm } from './new-token-form';

const text = strings.tokens;

const expiry = (token: ApiToken) =>
  token.expiresAt === null ? text.noExpiry : new Date(token.expiresAt).getTime() <= Date.now() ? text.expired : formatDateTime(token.expiresAt);

export function ApiTokensSection() {
  const list = useLoader(() => apiTokens.list(), []);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const action = useAction();

  const onCreated = async (token: CreatedApiToken) => {
    setCreated(token);
    await list.reload();
  };
  const revoke = async () => {
    const token = revoking;
    setRevoking(null);
    if (!token) return;
    await action.run(async () => {
      await apiTokens.revoke(token.id);
      if (created?.id === token.id) setCreated(null);
      await list.reload();
      return format(text.revoked, { name: token.name });
    });
  };

  const tokens = list.data ?? [];
  return (
    <section class="card" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">{text.heading}</h2>
      <p>{text.intro}</p>
      <ErrorNotice error={action.error} context={text.changeFailed} />
      <StatusNotice message={action.done} />
      <NewTokenForm action={action} onCreated={onCreated} />
      {created && <CreatedToken token={created} onDismiss={() => setCreated(null)} />}
      <h3 class="subheading">{text.listHeading}</h3>
      <ErrorNotice error={list.error} context={text.loadFailed} />
      {!list.data ? (
        !list.error && <p aria-live="polite">{text.loading}</p>
      ) : tokens.length === 0 ? (
        <p class="empty">{text.empty}</p>
      ) : (
        <table class="table responsive-table" aria-label={text.tableLabel}>
          <thead>
            <tr>
              <th scope="col">{text.columnName}</th>
              <th scope="col">{text.columnPrefix}</th>
              <th scope="col">{text.columnScopes}</th>
              <th scope="col">{text.columnCreated}</th>
              <th scope="col">{text.columnLastUsed}</th>
              <th scope="col">{text.columnExpires}</th>
              <th scope="col">
                <span class="visually-hidden">{text.columnActions}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id} data-testid="token-row">
                <th scope="row" data-label={text.columnName}>
                  {token.name}
                </th>
                <td data-label={text.columnPrefix}>
                  <code>{token.prefix}…</code>
                </td>
                <td data-label={text.columnScopes}>{token.scopes.join(', ')}</td>
                <td data-label={text.columnCreated}>{formatDateTime(token.createdAt)}</td>
                <td data-label={text.columnLastUsed}>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : text.neverUsed}</td>
                <td data-label={text.columnExpires}>{expiry(token)}</td>
                <td class="row-actions">
                  <button type="button" class="danger" disabled={action.busy} aria-label={format(text.revokeLabel, { name: token.name })} onClick={() => setRevoking(token)}>
                    {text.revoke}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={text.revokeTitle}
        confirmLabel={text.revoke}
        danger
        busy={action.busy}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
      >
        <p>{format(text.revokeBody, { name: revoking?.name ?? '' })}</p>
      </ConfirmDialog>
    </section>
  );
}

import { useState } from 'preact/hooks';
import { adminAudit, type AuditEntry, type AuditFilter } from '../../api/admin';
import { ErrorNotice } from '../../components/error-notice';
import { SelectField, TextField } from '../../components/fields';
import { useLoader } from '../../components/hooks';
import { fieldErrors } from '../../lib/error-messages';
import { formatDateTime } from '../../lib/format';
import { AUDIT_ACTION_LABELS, auditActionLabel } from './admin-labels';

const PAGE_SIZE = 50;
const DAY_MS = 24 * 60 * 60 * 1000;
const ACTION_OPTIONS = [{ value: '', label: 'All actions' }, ...Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label }))];

interface Filters {
  action: string;
  actor: { id: string; email: string | null } | null;
  from: string;
  to: string;
}

/** The start of a local day, as the server reads times (to is exclusive: the day after the last one). */
function dayStart(day: string, plusDays = 0): string | undefined {
  if (!day) return undefined;
  const date = new Date(`${day}T00:00:00`);
  return Number.isNaN(date.getTime()) ? undefined : new Date(date.getTime() + plusDays * DAY_MS).toISOString();
}

function query(filters: Filters): AuditFilter {
  return {
    action: filters.action || undefined,
    actorId: filters.actor?.id,
    from: dayStart(filters.from),
    to: dayStart(filters.to, 1),
    limit: PAGE_SIZE,
  };
}

function initialFilters(): Filters {
  const actor = new URLSearchParams(window.location.search).get('actor');
  return { action: '', actor: actor ? { id: actor, email: null } : null, from: '', to: '' };
}

export function AuditPanel() {
  const [filters, setFilters] = useState<Filters>(initialFilters);
  const [older, setOlder] = useState<{ entries: AuditEntry[]; nextBefore: string | null; error: unknown; loading: boolean } | null>(null);
  const page = useLoader(async () => {
    setOlder(null);
    return adminAudit.search(query(filters));
  }, [filters]);
  const set = (change: Partial<Filters>) => setFilters({ ...filters, ...change });

  const entries = [...(page.data?.entries ?? []), ...(older?.entries ?? [])];
  const nextBefore = older ? older.nextBefore : (page.data?.nextBefore ?? null);
  const loadOlder = async () => {
    if (!nextBefore) return;
    setOlder({ entries: older?.entries ?? [], nextBefore, error: null, loading: true });
    try {
      const next = await adminAudit.search({ ...query(filters), before: nextBefore });
      setOlder({ entries: [...(older?.entries ?? []), ...next.entries], nextBefore: next.nextBefore, error: null, loading: false });
    } catch (error) {
      setOlder({ entries: older?.entries ?? [], nextBefore, error, loading: false });
    }
  };
  const errors = fieldErrors(page.error);

  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <form class="filters" aria-label="Filter the audit log" onSubmit={(event) => event.preventDefault()}>
        <SelectField label="Action" value={filters.action} options={ACTION_OPTIONS} onValue={(action) => set({ action })} />
        <TextField label="From" type="date" value={filters.from} onValue={(from) => set({ from })} error={errors.from} />
        <TextField label="To" type="date" value={filters.to} onValue={(to) => set({ to })} error={errors.to} />
        {filters.actor && (
          <p class="filter-chip">
            <span>Actor: {filters.actor.email ?? filters.actor.id}</span>
            <button type="button" onClick={() => set({ actor: null })} aria-label="Show every actor">
              ×
            </button>
          </p>
        )}
      </form>
      <ErrorNotice error={page.error ?? older?.error} context="Could not load the audit log." />
      <p class="meta" role="status" aria-live="polite">
        {page.loading ? 'Loading entries…' : entries.length === 0 ? 'No entries match.' : `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} shown`}
      </p>
      {entries.length > 0 && (
        <table class="table responsive-table audit-table" aria-label="Audit entries" aria-busy={page.loading}>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Action</th>
              <th scope="col">By</th>
              <th scope="col">Account</th>
              <th scope="col">Address</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} data-testid="audit-row" data-action={entry.action}>
                <th scope="row" data-label="Time">
                  <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                </th>
                <td data-label="Action">{auditActionLabel(entry.action)}</td>
                <td data-label="By" class="break-anywhere">
                  {entry.actorId ? (
                    <button
                      type="button"
                      class="link-button"
                      title="Show only this actor's entries"
                      onClick={() => set({ actor: { id: entry.actorId as string, email: entry.actorEmail } })}
                    >
                      {entry.actorEmail ?? entry.actorId}
                    </button>
                  ) : (
                    (entry.actorEmail ?? '—')
                  )}
                </td>
                <td data-label="Account" class="break-anywhere">
                  {entry.targetEmail ?? '—'}
                </td>
                <td data-label="Address">{entry.address || '—'}</td>
                <td data-label="Details" class="break-anywhere">
                  {describeDetail(entry.detail)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextBefore && !page.loading && (
        <button type="button" disabled={older?.loading} onClick={() => void loadOlder()}>
          {older?.loading ? 'Loading…' : 'Show older entries'}
        </button>
      )}
    </section>
  );
}

function describeDetail(detail: Record<string, unknown>): string {
  const parts = Object.entries(detail).map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
  return parts.length > 0 ? parts.join('; ') : '—';
}

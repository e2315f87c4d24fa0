import { useState } from 'preact/hooks';
import { adminAudit, type AuditEntry, type AuditFilter } from '../../api/admin';
import { ErrorNotice } from '../../components/error-notice';
import { SelectField, TextField } from '../../components/fields';
import { useLoader } from '../../components/hooks';
import { fieldErrors } from '../../lib/error-messages';
import { formatDateTime } from '../../lib/format';
import { admin as text } from '../../strings/admin';
import { format } from '../../strings/index';
import { AUDIT_ACTION_LABELS, auditActionLabel } from './admin-labels';

const PAGE_SIZE = 50;
const DAY_MS = 24 * 60 * 60 * 1000;
const ACTION_OPTIONS = [{ value: '', label: text.allActions }, ...Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label }))];

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
      <h2 id="audit-heading">{text.auditLog}</h2>
      <form class="filters" aria-label={text.filterAudit} onSubmit={(event) => event.preventDefault()}>
        <SelectField label={text.action} value={filters.action} options={ACTION_OPTIONS} onValue={(action) => set({ action })} />
        <TextField label={text.from} type="date" value={filters.from} onValue={(from) => set({ from })} error={errors.from} />
        <TextField label={text.to} type="date" value={filters.to} onValue={(to) => set({ to })} error={errors.to} />
        {filters.actor && (
          <p class="filter-chip">
            <span>{format(text.actor, { who: filters.actor.email ?? filters.actor.id })}</span>
            <button type="button" onClick={() => set({ actor: null })} aria-label={text.everyActor}>
              ×
            </button>
          </p>
        )}
      </form>
      <ErrorNotice error={page.error ?? older?.error} context={text.couldNotLoadAudit} fields={['from', 'to']} />
      <p class="meta" role="status" aria-live="polite">
        {page.loading
          ? text.loadingEntries
          : entries.length === 0
            ? text.noEntries
            : format(entries.length === 1 ? text.entriesOne : text.entriesMany, { count: entries.length })}
      </p>
      {entries.length > 0 && (
        <table class="table responsive-table audit-table" aria-label={text.auditEntries} aria-busy={page.loading}>
          <thead>
            <tr>
              <th scope="col">{text.time}</th>
              <th scope="col">{text.action}</th>
              <th scope="col">{text.by}</th>
              <th scope="col">{text.account}</th>
              <th scope="col">{text.address}</th>
              <th scope="col">{text.details}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} data-testid="audit-row" data-action={entry.action}>
                <th scope="row" data-label={text.time}>
                  <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                </th>
                <td data-label={text.action}>{auditActionLabel(entry.action)}</td>
                <td data-label={text.by} class="break-anywhere">
                  {entry.actorId ? (
                    <button
                      type="button"
                      class="link-button"
                      title={text.onlyThisActor}
                      onClick={() => set({ actor: { id: entry.actorId as string, email: entry.actorEmail } })}
                    >
                      {entry.actorEmail ?? entry.actorId}
                    </button>
                  ) : (
                    (entry.actorEmail ?? '—')
                  )}
                </td>
                <td data-label={text.account} class="break-anywhere">
                  {entry.targetEmail ?? '—'}
                </td>
                <td data-label={text.address}>{entry.address || '—'}</td>
                <td data-label={text.details} class="break-anywhere">
                  {describeDetail(entry.detail)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextBefore && !page.loading && (
        <button type="button" disabled={older?.loading} onClick={() => void loadOlder()}>
          {older?.loading ? text.loading : text.olderEntries}
        </button>
      )}
    </section>
  );
}

function describeDetail(detail: Record<string, unknown>): string {
  const parts = Object.entries(detail).map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
  return parts.length > 0 ? parts.join('; ') : '—';
}

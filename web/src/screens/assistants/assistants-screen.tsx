import { assistants } from '../../api/endpoints';
import { ErrorNotice } from '../../components/error-notice';
import { useLoader } from '../../components/hooks';
import { ScreenHeading } from '../../components/screen-heading';
import { Link } from '../../router';
import { useSession } from '../../session';
import { TOOL_LABELS } from './assistant-form';

export function AssistantsScreen() {
  const session = useSession();
  const list = useLoader(() => assistants.list(), []);
  return (
    <main id="main" class="screen">
      <div class="screen-head">
        <ScreenHeading>Assistants</ScreenHeading>
        <Link href="/assistants/new" class="button primary">
          New assistant
        </Link>
      </div>
      <ErrorNotice error={list.error} context="Could not load your assistants." />
      {list.data?.length === 0 && (
        <p class="empty">
          No assistants yet. Create one with its instructions, model and documents, then chat with it.
        </p>
      )}
      {list.loading && !list.data && <p aria-live="polite">Loading…</p>}
      <ul class="card-grid" aria-label="Your assistants">
        {list.data?.map((assistant) => (
          <li key={assistant.id} class="card assistant-card">
            <h2>
              <Link href={`/assistants/${assistant.id}`}>{assistant.name}</Link>
            </h2>
            {assistant.description && <p>{assistant.description}</p>}
            <p class="meta">
              <span>{assistant.model}</span>
              {assistant.tools.map((tool) => (
                <span key={tool.type} class="badge">
                  {TOOL_LABELS[tool.type]}
                </span>
              ))}
              <span>
                {assistant.fileIds.length} {assistant.fileIds.length === 1 ? 'document' : 'documents'}
              </span>
              {!assistant.isActive && <span class="badge badge-muted">Off</span>}
              {session.user.defaultAssistantId === assistant.id && <span class="badge">Default</span>}
            </p>
          </li>
        ))}
      </ul>
    </main>
  );
}

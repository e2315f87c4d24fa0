import { assistants } from '../../api/endpoints';
import { ErrorNotice } from '../../components/error-notice';
import { useLoader } from '../../components/hooks';
import { ScreenHeading } from '../../components/screen-heading';
import { Link } from '../../router';
import { Skeleton } from '../../components/skeleton';
import { useSession } from '../../session';
import { assistants as text } from '../../strings/assistants';
import { format } from '../../strings/index';
import { TOOL_LABELS } from './assistant-form';

export function AssistantsScreen() {
  const session = useSession();
  const list = useLoader(() => assistants.list(), []);
  return (
    <main id="main" class="screen">
      <div class="screen-head">
        <ScreenHeading>{text.title}</ScreenHeading>
        <Link href="/assistants/new" class="button primary">
          {text.newAssistant}
        </Link>
      </div>
      <ErrorNotice error={list.error} context={text.couldNotLoadList} />
      {list.data?.length === 0 && (
        <p class="empty">
          {text.noneYet}
        </p>
      )}
      {list.loading && !list.data && <Skeleton lines={6} label={text.title} />}
      <ul class="card-grid" aria-label={text.yourAssistants}>
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
              <span>{format(assistant.fileIds.length === 1 ? text.oneDocument : text.manyDocuments, { count: assistant.fileIds.length })}</span>
              {!assistant.isActive && <span class="badge badge-muted">{text.off}</span>}
              {session.user.defaultAssistantId === assistant.id && <span class="badge">{text.default}</span>}
            </p>
          </li>
        ))}
      </ul>
    </main>
  );
}

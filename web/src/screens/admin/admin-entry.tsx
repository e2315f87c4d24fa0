// The Admin screen is loaded only when an administrator opens it: its code is
// a separate chunk of the build, not part of the first download.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/http';
import { ErrorNotice } from '../../components/error-notice';
import { Skeleton } from '../../components/skeleton';
import type { AdminSection } from '../../router';
import { admin as text } from '../../strings/admin';

type AdminModule = typeof import('./admin-screen');
let loading: Promise<AdminModule> | undefined;

export function AdminEntry({ section, userId }: { section: AdminSection; userId?: string }) {
  const [module, setModule] = useState<AdminModule | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    loading ??= import('./admin-screen');
    loading.then(
      (loaded) => current && setModule(loaded),
      () => {
        loading = undefined;
        if (current) setError(new ApiError(0, 'network_error', text.downloadFailed));
      },
    );
    return () => {
      current = false;
    };
  }, [attempt]);
  if (module) return <module.AdminScreen section={section} userId={userId} />;
  return (
    <main id="main" class="screen" aria-busy={!error}>
      <h1>{text.title}</h1>
      {error ? (
        <>
          <ErrorNotice error={error} context={text.couldNotOpen} />
          <button
            type="button"
            onClick={() => {
              setError(null);
              setAttempt((value) => value + 1);
            }}
          >
            {text.tryAgain}
          </button>
        </>
      ) : (
        <Skeleton lines={6} label={text.title} />
      )}
    </main>
  );
}

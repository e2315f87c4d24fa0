// The server's public settings (GET /config), read once per page load.
import { useEffect, useState } from 'preact/hooks';
import { requestJson } from './http';

/** The parts of GET /config the client uses. */
export interface PublicConfig {
  /** The model of chats without an assistant; null: such chats are refused. */
  chatModel: string | null;
  features: { sharedApiKey: boolean };
}

let loading: Promise<PublicConfig> | undefined;

function loadConfig(): Promise<PublicConfig> {
  loading ??= requestJson<PublicConfig>('GET', '/config').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** The public configuration, or undefined until it has loaded (or when it could not be read). */
export function usePublicConfig(): PublicConfig | undefined {
  const [config, setConfig] = useState<PublicConfig | undefined>(undefined);
  useEffect(() => {
    let current = true;
    loadConfig().then(
      (loaded) => current && setConfig(loaded),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);
  return config;
}

// The Markdown renderer is loaded on first use (it is most of the client's
// weight); until it arrives, messages show as plain text. Highlighting and
// maths load when a text first needs them, and the text renders again then.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { RenderOptions } from '../../lib/markdown';

type Renderer = typeof import('../../lib/markdown');

let renderer: Renderer | undefined;
let loading: Promise<Renderer> | undefined;

function loadRenderer(): Promise<Renderer> {
  loading ??= import('../../lib/markdown').then((module) => (renderer = module));
  return loading;
}

function useRenderer(): Renderer | undefined {
  const [loaded, setLoaded] = useState<Renderer | undefined>(() => renderer);
  useEffect(() => {
    if (loaded) return;
    let active = true;
    loadRenderer().then(
      (module) => active && setLoaded(module),
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, [loaded]);
  return loaded;
}

/** The text as safe HTML, or undefined until the renderer has loaded. */
export function useMarkdown(text: string, options: RenderOptions): string | undefined {
  const module = useRenderer();
  const [extrasLoaded, setExtrasLoaded] = useState(0);
  useEffect(() => {
    const pending = module?.extrasFor(text);
    if (!pending) return;
    let active = true;
    pending.then(
      () => active && setExtrasLoaded((count) => count + 1),
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, [module, text]);
  return useMemo(
    () => module?.renderMarkdown(text, options),
    [module, text, options.citations, options.anchor, extrasLoaded],
  );
}

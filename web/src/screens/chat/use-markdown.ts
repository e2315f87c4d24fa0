// The Markdown renderer is loaded on first use (it is most of the client's
// weight); until it arrives, messages show as plain text.
import { useEffect, useState } from 'preact/hooks';
import type { RenderOptions } from '../../lib/markdown';

export type Render = (text: string, options?: RenderOptions) => string;

let renderer: Render | undefined;
let loading: Promise<Render> | undefined;

function loadRenderer(): Promise<Render> {
  loading ??= import('../../lib/markdown').then((module) => (renderer = module.renderMarkdown));
  return loading;
}

export function useMarkdown(): Render | undefined {
  const [render, setRender] = useState<Render | undefined>(() => renderer);
  useEffect(() => {
    if (render) return;
    let active = true;
    loadRenderer().then(
      (loaded) => active && setRender(() => loaded),
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, [render]);
  return render;
}

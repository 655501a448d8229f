import { useEffect } from 'react';

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/**
 * FILE-01: a file dropped anywhere but on a conversation must not make the browser open it in
 * place of the app (it would leave the window, and show or run what was dropped). The
 * conversation handles its own drops first; everywhere else a file drop does nothing.
 */
export function useNoFileNavigation(target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): void {
  useEffect(() => {
    const stop = (event: DragEvent) => {
      if (carriesFiles(event)) event.preventDefault();
    };
    target.addEventListener('dragover', stop);
    target.addEventListener('drop', stop);
    return () => {
      target.removeEventListener('dragover', stop);
      target.removeEventListener('drop', stop);
    };
  }, [target]);
}

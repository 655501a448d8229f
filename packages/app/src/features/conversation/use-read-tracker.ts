import { useCallback, useEffect, useRef } from 'react';

/** Whether the window has the user's attention: focused and not hidden. */
export function windowAttended(): boolean {
  return document.visibilityState !== 'hidden' && document.hasFocus();
}

/**
 * MSG-01, MSG-04: the contact's messages count as read once their row has been visible in a
 * focused window (IntersectionObserver + document focus). Rows register with `observe`; the
 * highest seq seen so far goes to `onRead` (the core decides whether a receipt leaves).
 */
export function useReadTracker(onRead: (seq: number) => void, resetKey: string): (element: HTMLElement | null) => void {
  const visible = useRef(new Set<number>());
  const marked = useRef(0);
  const onReadRef = useRef(onRead);
  onReadRef.current = onRead;

  const flush = useCallback(() => {
    if (!windowAttended() || visible.current.size === 0) return;
    const highest = Math.max(...visible.current);
    if (highest <= marked.current) return;
    marked.current = highest;
    onReadRef.current(highest);
  }, []);

  const observer = useRef<IntersectionObserver | null>(null);
  if (observer.current === null && typeof IntersectionObserver !== 'undefined') {
    observer.current = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const seq = Number((entry.target as HTMLElement).dataset.seq);
        if (!Number.isSafeInteger(seq)) continue;
        if (entry.isIntersecting) visible.current.add(seq);
        else visible.current.delete(seq);
      }
      flush();
    });
  }

  useEffect(() => {
    visible.current.clear();
    marked.current = 0;
  }, [resetKey]);

  useEffect(() => {
    const again = () => flush();
    window.addEventListener('focus', again);
    document.addEventListener('visibilitychange', again);
    return () => {
      window.removeEventListener('focus', again);
      document.removeEventListener('visibilitychange', again);
    };
  }, [flush]);

  useEffect(() => () => observer.current?.disconnect(), []);

  return useCallback((element: HTMLElement | null) => {
    if (element === null || observer.current === null) return;
    observer.current.observe(element);
  }, []);
}

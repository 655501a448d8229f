import { useEffect } from 'react';
import { useAppState } from '../../store/app-context';

const BASE_TITLE = 'DiscordOpus';

/** MSG-04: the unread total in the window title ("(3) DiscordOpus"), so it shows in the task bar. */
export function useWindowNotices(): void {
  const total = useAppState((s) => Object.values(s.unread).reduce((sum, n) => sum + n, 0));
  useEffect(() => {
    document.title = total > 0 ? `(${total > 99 ? '99+' : total}) ${BASE_TITLE}` : BASE_TITLE;
    return () => {
      document.title = BASE_TITLE;
    };
  }, [total]);
}

import type { ReactNode } from 'react';

/** The centered card the first-run and unlock screens share. */
export function AuthLayout({ children, testId }: { children: ReactNode; testId: string }) {
  return (
    <main
      data-testid={testId}
      className="flex min-h-full items-center justify-center bg-gradient-to-br from-[#404eed] via-[#5865f2] to-[#3c45a5] p-4 dark:from-[#1e1f22] dark:via-[#2b2d31] dark:to-[#1e1f22]"
    >
      <div className="w-full max-w-md rounded-lg bg-base p-8 shadow-2xl">
        <div className="mb-6 flex items-center justify-center gap-2" aria-hidden="true">
          <span className="flex h-9 w-9 items-center justify-center rounded-xl bg-accent text-lg font-black text-white">D</span>
          <span className="text-lg font-bold text-strong">DiscordOpus</span>
        </div>
        {children}
      </div>
    </main>
  );
}

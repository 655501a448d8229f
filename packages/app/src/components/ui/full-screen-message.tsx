import type { ReactNode } from 'react';

/** A centered title and content filling the window: loading, errors, "open from the launcher". */
export function FullScreenMessage({ title, children, testId }: { title: string; children?: ReactNode; testId: string }) {
  return (
    <main data-testid={testId} className="flex h-full flex-col items-center justify-center gap-3 bg-base p-8 text-center">
      <h1 className="text-xl font-semibold text-strong">{title}</h1>
      {children}
    </main>
  );
}

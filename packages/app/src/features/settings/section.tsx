import type { ReactNode } from 'react';

export function SettingsSection({ title, description, children, testId }: { title: string; description?: string; children: ReactNode; testId?: string }) {
  return (
    <section data-testid={testId} className="flex flex-col gap-3 border-b border-line pb-5 last:border-b-0">
      <div>
        <h3 className="text-base font-semibold text-strong">{title}</h3>
        {description !== undefined && <p className="text-sm text-muted">{description}</p>}
      </div>
      {children}
    </section>
  );
}

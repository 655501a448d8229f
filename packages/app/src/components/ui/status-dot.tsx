import type { ContactStatus, OwnStatusValue } from '@discordopus/protocol/bridge';
import { statusDotClass } from '../../lib/contact-display';

/** A presence dot; the status is given as text to screen readers (an empty label hides it). */
export function StatusDot({ status, label, className = '' }: { status: ContactStatus | OwnStatusValue; label: string; className?: string }) {
  const a11y = label === '' ? { 'aria-hidden': true as const } : { role: 'img', 'aria-label': label };
  return (
    <span
      {...a11y}
      data-testid="status-dot"
      data-status={status}
      className={`inline-block h-3 w-3 shrink-0 rounded-full ring-[3px] ring-sidebar ${statusDotClass(status)} ${className}`}
    />
  );
}

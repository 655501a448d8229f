import type { ContactStatus, OwnStatusValue } from '@discordopus/protocol/bridge';
import { useId } from 'react';
import { statusDotClass, statusShape, type StatusShape } from '../../lib/contact-display';

/** What the dot sits on: its ring and its cut-outs take that colour (none: no ring). */
export type DotSurface = 'sidebar' | 'panel' | 'base' | 'none';
const SURFACES: Record<DotSurface, string> = {
  sidebar: 'ring-[3px] ring-sidebar bg-sidebar',
  panel: 'ring-[3px] ring-panel bg-panel',
  base: 'ring-[3px] ring-base bg-base',
  none: '',
};

/** The cut-out that gives each status its own shape (issue 15 item 11: not by colour only). */
function Cutout({ shape }: { shape: StatusShape }) {
  switch (shape) {
    case 'dot':
      return null;
    case 'moon':
      return <circle cx="4" cy="4" r="6" fill="black" />;
    case 'bar':
      return <rect x="3" y="6.25" width="10" height="3.5" rx="1.75" fill="black" />;
    case 'ring':
      return <circle cx="8" cy="8" r="4" fill="black" />;
    default: {
      const never: never = shape;
      return never;
    }
  }
}

/**
 * A presence dot with a shape per status, as Discord draws them: online a full dot, away a
 * moon, busy a dot with a bar, offline and invisible a ring. The status is given as text to
 * screen readers (an empty label hides it).
 */
export function StatusDot({
  status,
  label,
  className = '',
  surface = 'sidebar',
}: {
  status: ContactStatus | OwnStatusValue;
  label: string;
  className?: string;
  surface?: DotSurface;
}) {
  const maskId = useId();
  const shape = statusShape(status);
  const a11y = label === '' ? { 'aria-hidden': true as const } : { role: 'img', 'aria-label': label };
  return (
    <span
      {...a11y}
      data-testid="status-dot"
      data-status={status}
      data-shape={shape}
      className={`inline-block h-3 w-3 shrink-0 rounded-full ${SURFACES[surface]} ${className}`}
    >
      <svg viewBox="0 0 16 16" className={`block h-full w-full ${statusDotClass(status)}`} aria-hidden="true">
        <mask id={maskId}>
          <rect width="16" height="16" fill="white" />
          <Cutout shape={shape} />
        </mask>
        <circle cx="8" cy="8" r="8" fill="currentColor" mask={`url(#${maskId})`} />
      </svg>
    </span>
  );
}

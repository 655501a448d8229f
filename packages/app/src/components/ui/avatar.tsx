import type { ReactNode } from 'react';
import { avatarColor } from '../../lib/contact-display';

/** A round avatar with the first letter of the name; a status dot sits on its corner. */
export function Avatar({ name, seed, size = 32, children }: { name: string; seed: string; size?: number; children?: ReactNode }) {
  // The first visible character: a name stored before invisible-only names were refused may start with a zero-width one.
  const letter = [...name.replace(/\p{Default_Ignorable_Code_Point}/gu, '').trim()][0]?.toUpperCase() ?? '?';
  return (
    <span className="relative inline-flex shrink-0" style={{ width: size, height: size }}>
      <span
        aria-hidden="true"
        className="flex h-full w-full items-center justify-center rounded-full font-semibold text-white"
        style={{ background: avatarColor(seed), fontSize: size * 0.45 }}
      >
        {letter}
      </span>
      {children !== undefined && <span className="absolute -bottom-0.5 -right-0.5 flex">{children}</span>}
    </span>
  );
}

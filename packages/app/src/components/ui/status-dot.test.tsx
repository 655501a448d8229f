import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { StatusDot } from './status-dot';

describe('status dot (issue 15 item 11, PRES-02)', () => {
  it('draws a distinct cut-out per status: none for online, a moon for away, a bar for busy, a hole for offline', () => {
    const cutouts = (['online', 'away', 'busy', 'offline'] as const).map((status) => {
      const { container, unmount } = render(<StatusDot status={status} label={status} />);
      const mask = container.querySelector('mask');
      const shape = [...(mask?.children ?? [])].slice(1).map((el) => `${el.tagName}:${[...el.attributes].map((a) => `${a.name}=${a.value}`).join(',')}`).join('|');
      unmount();
      return shape;
    });
    expect(cutouts[0]).toBe('');
    expect(new Set(cutouts).size).toBe(4);
  });

  it('tells screen readers the status in words', () => {
    const { getByRole } = render(<StatusDot status="busy" label="Do not disturb" />);
    expect(getByRole('img').getAttribute('aria-label')).toBe('Do not disturb');
  });
});

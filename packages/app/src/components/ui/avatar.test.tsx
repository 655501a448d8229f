import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Avatar } from './avatar';

describe('avatar letter (issue 15 item 14)', () => {
  it('shows the first visible character, never a blank one', () => {
    const letter = (name: string) => render(<Avatar name={name} seed="x" />).container.querySelector('[aria-hidden="true"]')?.textContent;
    expect(letter('bob')).toBe('B');
    expect(letter('\u200b\u200dbob')).toBe('B');
    expect(letter('\u200b')).toBe('?');
  });
});

import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MessageText } from './message-text';

function shown(text: string): HTMLElement {
  render(<MessageText text={text} />);
  return screen.getByTestId('message-text');
}

describe('message text: a safe markdown subset (MSG-01)', () => {
  it('renders bold, italic, inline code and code blocks as elements', () => {
    const el = shown('**bold** and *italic* and `x = 1`\n\n```\nconst a = 1;\n```');
    expect(el.querySelector('strong')?.textContent).toBe('bold');
    expect(el.querySelector('em')?.textContent).toBe('italic');
    expect(el.querySelector('code')?.textContent).toBe('x = 1');
    expect(el.querySelector('pre')?.textContent).toBe('const a = 1;');
  });

  it('never renders raw HTML: tags and handlers stay text', () => {
    const el = shown('<b>hi</b> <img src=x onerror="alert(1)"> <script>alert(2)</script>');
    expect(el.querySelector('b, img, script')).toBeNull();
    expect(el.textContent).toContain('<b>hi</b>');
    expect(el.textContent).toContain('<script>');
  });

  it('links open outside the window without a referrer; script links and remote images do not load', () => {
    const el = shown('[docs](https://example.org/a) [bad](javascript:alert(1)) ![cat](https://example.org/cat.png)');
    const links = el.querySelectorAll('a');
    expect(links).toHaveLength(1);
    expect(links[0]!.getAttribute('href')).toBe('https://example.org/a');
    expect(links[0]!.getAttribute('target')).toBe('_blank');
    expect(links[0]!.getAttribute('rel')).toBe('noopener noreferrer');
    expect(el.querySelector('img')).toBeNull();
    expect(el.textContent).toContain('bad');
    expect(el.textContent).toContain('[cat]');
  });

  it.each([
    ['mixed case', '[x](JaVaScRiPt:alert(1))'],
    ['leading space', '[x]( javascript:alert(1))'],
    ['an entity for the colon', '[x](javascript&#58;alert(1))'],
    ['a tab inside the scheme', '[x](java\tscript:alert(1))'],
    ['a reference definition', '[x][1]\n\n[1]: javascript:alert(1)'],
    ['an autolink', '<javascript:alert(1)>'],
    ['an angle-bracket destination', '[x](<javascript:alert(1)>)'],
    ['a data: URL', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['vbscript', '[x](vbscript:msgbox(1))'],
    ['a file: URL', '[x](file:///etc/passwd)'],
  ])('MSG-01: a script or local link (%s) never becomes a link', (_case, text) => {
    const el = shown(text);
    for (const a of el.querySelectorAll('a')) expect(a.getAttribute('href') ?? '').toMatch(/^(https?:|mailto:)/i);
    expect(el.querySelector('a[href*="script" i], a[href^="data:" i], a[href^="file:" i]')).toBeNull();
  });

  it('a ||spoiler|| is covered until clicked', () => {
    shown('the butler did it: ||it was the cook||');
    const spoiler = screen.getByTestId('message-spoiler');
    expect(spoiler.dataset.shown).toBe('false');
    expect(spoiler.textContent).toBe('it was the cook');
    fireEvent.click(spoiler);
    expect(spoiler.dataset.shown).toBe('true');
  });
});

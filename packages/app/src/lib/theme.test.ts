import { afterEach, describe, expect, it, vi } from 'vitest';
import indexHtml from '../../index.html?raw';
import { applyTheme, rememberedTheme, rememberTheme } from './theme';

function systemPrefers(scheme: 'light' | 'dark') {
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: query === `(prefers-color-scheme: ${scheme})`,
    addEventListener: () => {},
    removeEventListener: () => {},
  }));
}

afterEach(() => {
  localStorage.clear();
  vi.unstubAllGlobals();
  document.documentElement.className = '';
});

describe('theme before unlocking (issue 15 item 10, UI-02)', () => {
  it('a window that never chose a theme follows the system from the first frame', () => {
    expect(rememberedTheme()).toBe('system');
    systemPrefers('light');
    applyTheme(rememberedTheme());
    expect(document.documentElement.classList.contains('dark')).toBe(false);
    systemPrefers('dark');
    applyTheme(rememberedTheme());
    expect(document.documentElement.classList.contains('dark')).toBe(true);
  });

  it('a window that used a theme starts with it', () => {
    systemPrefers('dark');
    rememberTheme('light');
    applyTheme(rememberedTheme());
    expect(document.documentElement.classList.contains('dark')).toBe(false);
  });

  it('the page shell does not force dark before the script runs', () => {
    expect(indexHtml).not.toMatch(/<html[^>]*class="[^"]*dark/);
  });
});

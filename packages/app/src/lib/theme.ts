import type { Theme } from '@discordopus/protocol/bridge';

const STORAGE_KEY = 'discordopus.theme';

/**
 * The theme to show before the profile's settings are loaded: the last one used in this window,
 * else the system's (issue 15 item 10: never dark first and then switching).
 */
export function rememberedTheme(): Theme {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' || value === 'system' ? value : 'system';
  } catch {
    return 'system';
  }
}

export function rememberTheme(theme: Theme): void {
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Storage can be disabled; the theme then follows the system.
  }
}

function systemPrefersLight(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: light)').matches;
}

/** Dark or light as it will be shown. */
export function resolvedTheme(theme: Theme): 'dark' | 'light' {
  if (theme === 'system') return systemPrefersLight() ? 'light' : 'dark';
  return theme;
}

export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  root.classList.toggle('dark', resolvedTheme(theme) === 'dark');
  root.dataset.theme = resolvedTheme(theme);
}

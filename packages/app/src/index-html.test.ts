import { describe, expect, it } from 'vitest';
import indexHtml from '../index.html?raw';

describe('the page shell (security model: strict CSP)', () => {
  it('has no inline script and loads nothing from another origin', () => {
    const scripts = [...indexHtml.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\//);
      expect(body?.trim()).toBe('');
    }
    expect(indexHtml).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});

import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/**
 * The file under `root` that a URL path names, or null. `/` is index.html; paths that climb out
 * of `root`, hidden files and unknown types are never served.
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded === '/' ? 'index.html' : normalize(decoded).replace(/^[/\\]+/, '');
  if (relative.split(/[/\\]/).some((part) => part.startsWith('.'))) return null;
  const base = resolve(root);
  const full = resolve(join(base, relative));
  if (full !== base && !full.startsWith(base + sep)) return null;
  const contentType = CONTENT_TYPES[extname(full).toLowerCase()];
  if (contentType === undefined) return null;
  try {
    if (!(await stat(full)).isFile()) return null;
    return { body: await readFile(full), contentType };
  } catch {
    return null;
  }
}

/** Shown when the app has not been built: says how to build it. */
export function notBuiltPage(): StaticFile {
  const html = `<!doctype html><meta charset="utf-8"><title>DiscordOpus</title>
<p>The DiscordOpus app is not built yet. Run <code>npm run build:app</code> and reload.</p>`;
  return { body: Buffer.from(html, 'utf8'), contentType: 'text/html; charset=utf-8' };
}

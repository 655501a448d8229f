import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';

export type StaticHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Serve the built app from `root` with `sirv`: the file list is read once at start, so only
 * files that were in `root` then are ever served (a path that climbs out of it, or names a
 * hidden file, matches nothing). Every answer carries `headers` (the CSP and friends); a miss
 * is a plain 404.
 */
export function staticFiles(root: string, headers: () => Record<string, string>): StaticHandler {
  const serve = sirv(root, {
    dev: false,
    dotfiles: false,
    etag: false,
    single: false,
    setHeaders: (response) => {
      for (const [name, value] of Object.entries(headers())) response.setHeader(name, value);
    },
    onNoMatch: (_request, response) => {
      response.writeHead(404, { ...headers(), 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found.\n');
    },
  });
  return (request, response) => serve(request, response);
}

/** Shown when the app has not been built: says how to build it. */
export function notBuiltPage(): { body: Buffer; contentType: string } {
  const html = `<!doctype html><meta charset="utf-8"><title>DiscordOpus</title>
<p>The DiscordOpus app is not built yet. Run <code>npm run build:app</code> and reload.</p>`;
  return { body: Buffer.from(html, 'utf8'), contentType: 'text/html; charset=utf-8' };
}

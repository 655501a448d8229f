import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerMetrics } from '../metrics/metrics';

/**
 * The plain HTTP side: `/healthz` for load balancers (503 while draining) and Prometheus
 * `/metrics`. Everything else is a WebSocket upgrade or a 404.
 */
export function httpHandler(metrics: ServerMetrics, draining: () => boolean) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      const status = draining() ? 503 : 200;
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ status: status === 200 ? 'ok' : 'draining' }));
      return;
    }
    if (path === '/metrics') {
      metrics.text().then(
        (body) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
        },
        () => {
          res.writeHead(500).end();
        },
      );
      return;
    }
    res.writeHead(path === '/' ? 426 : 404, { 'content-type': 'text/plain' });
    res.end(path === '/' ? 'DiscordOpus signaling server: connect with a WebSocket.\n' : 'Not found\n');
  };
}

/**
 * The server's identity as clients see it: its URL without trailing slash, query or fragment
 * (`wss://signal.example.org`, `ws://127.0.0.1:7717`). Default ports disappear, as the URL
 * standard writes them. Clients sign logins to exactly this string, and a client expects the
 * server it dialed to announce exactly this form of the URL it dialed: one function for both.
 * Throws TypeError when `raw` is not a URL.
 */
export function canonicalServerId(raw: string): string {
  const url = new URL(raw);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * Whether a URL host names this computer: `localhost`, 127.0.0.0/8 or ::1 (with or without
 * brackets). Plain ws:// is allowed only to these (INFR-04); the app's form and the client's
 * connection check ask this one function.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

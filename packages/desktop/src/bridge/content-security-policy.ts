/**
 * The Content-Security-Policy of the app page: only its own files run, it can talk only to
 * the bridge (the launch-code exchange and the WebSocket), and no other page can frame it.
 * Styles may be inline because Radix's scroll lock injects a <style> element; styles cannot
 * run code. Scripts are never inline. Images may also be blob: URLs: the window shows file
 * previews (FILE-03: JPEG/PNG/WebP bytes checked by the protocol) through object URLs it made
 * itself; data: URLs stay refused.
 */
export function contentSecurityPolicy(bridgeUrl: string, sessionUrl: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob:",
    "font-src 'self'",
    `connect-src ${sessionUrl} ${bridgeUrl}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers sent with every response of the bridge server. */
export function securityHeaders(bridgeUrl: string, sessionUrl: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(bridgeUrl, sessionUrl),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

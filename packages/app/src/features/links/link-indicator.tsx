import { Link2, Loader2, ShieldAlert } from 'lucide-react';
import { linkExplanation, linkLabel } from '../../lib/link-display';
import { useAppState } from '../../store/app-context';

/** P2P-01, P2P-03: the contact header's "Direct · 3 ms" / "Relayed · 41 ms" / "Connecting…"; nothing without a link. */
export function LinkIndicator({ publicKey }: { publicKey: string }) {
  const link = useAppState((s) => s.links[publicKey] ?? null);
  const label = linkLabel(link);
  if (link === null || label === null) return null;
  return (
    <span
      className="flex shrink-0 items-center gap-1 rounded bg-sidebar px-2 py-0.5 text-xs font-medium text-muted"
      data-testid="header-link"
      data-state={link.state}
      data-path={link.path ?? ''}
      title={linkExplanation(link)}
    >
      {link.state === 'connecting' ? <Loader2 size={12} className="animate-spin" aria-hidden="true" /> : <Link2 size={12} aria-hidden="true" />}
      {label}
    </span>
  );
}

/** P2P-02: a small shield on a contact whose link failed authentication (the details panel says more). */
export function SecurityWarningBadge({ publicKey, size = 14 }: { publicKey: string; size?: number }) {
  const warned = useAppState((s) => s.securityWarnings[publicKey] !== undefined);
  if (!warned) return null;
  return <ShieldAlert size={size} className="shrink-0 text-danger" role="img" aria-label="Security warning" data-testid="security-warning-badge" />;
}

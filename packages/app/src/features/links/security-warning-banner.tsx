import type { Contact } from '@discordopus/protocol/bridge';
import { ShieldAlert } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/ui/button';
import { contactName } from '../../lib/contact-display';
import { errorMessage } from '../../lib/error-message';
import { securityWarningText } from '../../lib/link-display';
import { useActions, useAppState } from '../../store/app-context';

/**
 * P2P-02: a link to this contact failed authentication (LINK_AUTH_FAILED). The warning stays on
 * the contact until the user dismisses it; it is never silent and never goes away by itself.
 */
export function SecurityWarningBanner({ contact }: { contact: Contact }) {
  const warning = useAppState((s) => s.securityWarnings[contact.publicKey] ?? null);
  const actions = useActions();
  const [failure, setFailure] = useState<string | null>(null);
  if (warning === null) return null;

  async function dismiss() {
    setFailure(null);
    try {
      await actions.dismissSecurityWarning(contact.publicKey);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }

  return (
    <div role="alert" data-testid="security-warning" data-code={warning.code} className="flex gap-3 rounded-md border border-danger bg-danger/10 p-4 text-sm">
      <ShieldAlert size={24} className="shrink-0 text-danger" aria-hidden="true" />
      <div className="flex min-w-0 flex-1 flex-col gap-2">
        <p className="font-semibold text-strong" data-testid="security-warning-text">
          {securityWarningText(contactName(contact))}
        </p>
        <p className="text-normal">
          Compare safety numbers with this contact in person or on a call. If this keeps happening, the server or network in between may be hostile.
        </p>
        <p className="break-words text-xs text-muted" data-testid="security-warning-reason">
          {warning.reason}
        </p>
        {failure !== null && <p className="text-xs text-danger">{failure}</p>}
        <div>
          <Button variant="secondary" onClick={() => void dismiss()} data-testid="security-warning-dismiss">
            I understand
          </Button>
        </div>
      </div>
    </div>
  );
}

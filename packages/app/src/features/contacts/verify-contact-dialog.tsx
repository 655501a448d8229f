import type { Contact, SafetyNumber } from '@discordopus/protocol/bridge';
import { ShieldCheck } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Button } from '../../components/ui/button';
import { Dialog } from '../../components/ui/dialog';
import { QrCode } from '../../components/ui/qr-code';
import { contactName } from '../../lib/contact-display';
import { errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';

/** CONT-05: compare the safety number (digits and QR code); mark verified or un-verify. */
export function VerifyContactDialog({ contact: initial, onClose, onCloseAutoFocus }: { contact: Contact; onClose(): void; onCloseAutoFocus?: (event: Event) => void }) {
  const actions = useActions();
  const contact = useAppState((s) => s.contacts?.find((c) => c.publicKey === initial.publicKey)) ?? initial;
  const [number, setNumber] = useState<SafetyNumber | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const name = contactName(contact);

  useEffect(() => {
    let current = true;
    actions.safetyNumber(initial.publicKey).then(
      (value) => current && setNumber(value),
      (error: unknown) => current && setLoadError(errorMessage(error)),
    );
    return () => {
      current = false;
    };
  }, [actions, initial.publicKey]);

  async function setVerified(verified: boolean) {
    setBusy(true);
    setFailure(null);
    try {
      await actions.setVerified(contact.publicKey, verified);
    } catch (error) {
      setFailure(errorMessage(error));
    }
    setBusy(false);
  }

  return (
    <Dialog
      open
      wide
      onOpenChange={(open) => !open && onClose()}
      title={`Verify ${name}`}
      description={`Compare these numbers with ${name}, in person or over a call you trust. If they are the same on both screens, nobody is in between.`}
      testId="verify-contact-dialog"
      onCloseAutoFocus={onCloseAutoFocus}
    >
      {number === null && loadError === null && (
        <p className="py-8 text-center text-sm text-muted" aria-busy="true" data-testid="safety-number-loading">
          Computing the safety number…
        </p>
      )}
      {loadError !== null && (
        <p role="alert" className="rounded bg-danger/10 px-3 py-2 text-sm text-danger">
          {loadError}
        </p>
      )}
      {number !== null && (
        <div className="flex flex-col items-center gap-5 sm:flex-row sm:items-start">
          <ol
            data-testid="safety-number"
            data-digits={number.digits}
            aria-label="Safety number"
            className="grid flex-1 grid-cols-4 gap-x-4 gap-y-2 rounded-md bg-panel p-4 font-mono text-lg tracking-wider text-strong"
          >
            {number.groups.map((group, index) => (
              <li key={index}>{group}</li>
            ))}
          </ol>
          <QrCode value={number.digits} label={`QR code of the safety number with ${name}`} size={168} />
        </div>
      )}
      <div className="mt-5 flex items-center justify-between gap-2">
        <p className="flex items-center gap-1.5 text-sm" data-testid="verification-state">
          {contact.verified ? (
            <>
              <ShieldCheck size={16} className="text-tone-good" aria-hidden="true" /> <span className="text-tone-good">Verified</span>
            </>
          ) : (
            <span className="text-muted">Not verified</span>
          )}
        </p>
        <div className="flex gap-2">
          {contact.verified ? (
            <Button variant="secondary" busy={busy} onClick={() => void setVerified(false)} data-testid="unverify-contact">
              Mark as not verified
            </Button>
          ) : (
            <Button busy={busy} disabled={number === null} onClick={() => void setVerified(true)} data-testid="verify-contact">
              They match: mark as verified
            </Button>
          )}
        </div>
      </div>
      {failure !== null && (
        <p role="alert" className="mt-3 text-sm text-danger">
          {failure}
        </p>
      )}
    </Dialog>
  );
}

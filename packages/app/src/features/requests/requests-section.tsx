import { shortUserId } from '@discordopus/protocol';
import type { IncomingRequest } from '@discordopus/protocol/bridge';
import { Ban, Check, X } from 'lucide-react';
import { useState } from 'react';
import { Avatar } from '../../components/ui/avatar';
import { errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';

const ACTION = 'inline-flex items-center gap-1 rounded px-2 py-1 text-xs font-medium disabled:opacity-50';

/** One empty list, so the selector's answer stays the same while nothing is loaded. */
const NONE: readonly IncomingRequest[] = [];

/** CONT-06: people who added the user and ask to be added back: accept, ignore or block. */
export function RequestsSection() {
  const incoming = useAppState((s) => s.requests?.incoming ?? NONE);
  if (incoming.length === 0) return null;
  return (
    <section aria-label="Contact requests" data-testid="requests-section" className="flex flex-col gap-1 px-2 pt-3">
      <h3 className="px-2 pb-1 text-[11px] font-bold uppercase tracking-wide text-muted">Requests — {incoming.length}</h3>
      <ul className="flex flex-col gap-1">
        {incoming.map((request) => (
          <RequestRow key={request.publicKey} request={request} />
        ))}
      </ul>
    </section>
  );
}

function RequestRow({ request }: { request: IncomingRequest }) {
  const actions = useActions();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function run(action: (publicKey: string) => Promise<unknown>) {
    setBusy(true);
    setFailure(null);
    try {
      await action(request.publicKey);
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(false);
    }
  }

  return (
    <li data-testid="request-row" data-public-key={request.publicKey} className="flex flex-col gap-1.5 rounded bg-hover/40 px-2 py-2">
      <div className="flex items-center gap-3">
        <Avatar name={request.displayName} seed={request.publicKey} size={32} />
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-medium text-strong" data-testid="request-name">
            {request.displayName}
          </span>
          <span className="block truncate font-mono text-xs text-muted" title={request.userId}>
            {shortUserId(request.userId)}
          </span>
        </span>
      </div>
      {request.note !== '' && (
        <p className="whitespace-pre-wrap break-words rounded bg-panel px-2 py-1 text-xs text-normal" data-testid="request-note">
          {request.note}
        </p>
      )}
      <div className="flex gap-1">
        <button type="button" disabled={busy} onClick={() => void run(actions.acceptRequest)} className={`${ACTION} bg-accent text-white`} data-testid="request-accept">
          <Check size={12} aria-hidden="true" /> Accept
        </button>
        <button type="button" disabled={busy} onClick={() => void run(actions.ignoreRequest)} className={`${ACTION} text-muted hover:bg-hover hover:text-strong`} data-testid="request-ignore">
          <X size={12} aria-hidden="true" /> Ignore
        </button>
        <button type="button" disabled={busy} onClick={() => void run(actions.blockUser)} className={`${ACTION} text-danger hover:bg-danger/10`} data-testid="request-block">
          <Ban size={12} aria-hidden="true" /> Block
        </button>
      </div>
      {failure !== null && (
        <p role="alert" className="text-xs text-danger" data-testid="request-failure">
          {failure}
        </p>
      )}
    </li>
  );
}

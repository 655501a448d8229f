import { shortUserId } from '@discordopus/protocol';
import type { IncomingRequest } from '@discordopus/protocol/bridge';
import { Ban, Check, X } from 'lucide-react';
import { useState } from 'react';
import { Avatar } from '../../components/ui/avatar';
import { contactName } from '../../lib/contact-display';
import { errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';

const ACTION = 'inline-flex items-center gap-1 rounded px-2 py-1 text-xs font-medium disabled:opacity-50';

/** One empty list, so the selector's answer stays the same while nothing is loaded. */
const NONE: readonly IncomingRequest[] = [];

/** CONT-06: people who added the user and ask to be added back: accept, ignore or block. */
export function RequestsSection() {
  const incoming = useAppState((s) => s.requests?.incoming ?? NONE);
  const refused = useAppState((s) => s.requests?.refusedWhileFull ?? 0);
  if (incoming.length === 0 && refused === 0) return null;
  return (
    <section aria-label="Contact requests" data-testid="requests-section" className="flex flex-col gap-1 px-2 pt-3">
      <h3 className="px-2 pb-1 text-[11px] font-bold uppercase tracking-wide text-muted">Requests — {incoming.length}</h3>
      {refused > 0 && (
        <p role="status" className="rounded bg-danger/10 px-2 py-1 text-xs text-danger" data-testid="requests-full">
          Your request list is full: {refused} {refused === 1 ? 'request' : 'requests'} from new people {refused === 1 ? 'was' : 'were'} refused. Accept, ignore or block some to make room.
        </p>
      )}
      <ul className="flex flex-col gap-1">
        {incoming.map((request) => (
          <RequestRow key={request.publicKey} request={request} />
        ))}
      </ul>
    </section>
  );
}

/** Names compared as a person reads them: normalised, case-folded, spaces collapsed. */
const fold = (name: string) => name.normalize('NFKC').toLocaleLowerCase().replace(/\s+/gu, ' ').trim();

/** CONT-06: an existing contact whose shown name, nickname or display name reads like this request's name (another key). */
function useLookalike(request: IncomingRequest): string | null {
  return useAppState((s) => {
    const name = fold(request.displayName);
    const match = (s.contacts ?? []).find((c) => c.publicKey !== request.publicKey && [contactName(c), c.nickname, c.displayName].some((n) => n !== null && fold(n) === name));
    return match === undefined ? null : contactName(match);
  });
}

function RequestRow({ request }: { request: IncomingRequest }) {
  const actions = useActions();
  const lookalike = useLookalike(request);
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
      {lookalike !== null && (
        <p role="note" className="rounded bg-danger/10 px-2 py-1 text-xs text-danger" data-testid="request-lookalike">
          Not your contact {lookalike}: this is a different ID ({shortUserId(request.userId)}). The name is chosen by the sender.
        </p>
      )}
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

import { House, UserPlus } from 'lucide-react';
import { useAppState } from '../../store/app-context';
import type { OpenContactDialog } from '../contacts/contact-dialog-state';
import { ConnectionIndicator } from './connection-indicator';
import { ContactList } from './contact-list';
import { OwnUserPanel } from './own-user-panel';
import { RequestsSection } from '../requests/requests-section';

/** UI-01: contacts with status dots, the connection indicator, and the user's own panel. */
export function Sidebar({ openDialog, onOpenSettings }: { openDialog: OpenContactDialog; onOpenSettings(): void }) {
  const home = useAppState((s) => s.selectedContactKey === null);
  const selectContact = useAppState((s) => s.selectContact);
  return (
    <aside data-testid="sidebar" className="flex w-60 shrink-0 flex-col bg-sidebar md:w-72">
      <header className="flex h-12 items-center justify-between border-b border-black/20 px-4 shadow-sm">
        <h2 className="text-sm font-semibold text-strong">Contacts</h2>
        <button
          type="button"
          aria-label="Add a contact"
          title="Add a contact"
          data-testid="open-add-contact"
          onClick={() => openDialog({ kind: 'add' })}
          className="rounded p-1 text-muted hover:bg-hover hover:text-strong"
        >
          <UserPlus size={18} aria-hidden="true" />
        </button>
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {/* The way back to Home once a contact is selected (issue 15 item 15). */}
        <div className="px-2 pt-2">
          <button
            type="button"
            data-testid="go-home"
            aria-current={home || undefined}
            onClick={() => selectContact(null)}
            className={`flex w-full items-center gap-3 rounded px-2 py-1.5 text-left text-sm font-medium ${home ? 'bg-hover text-strong' : 'text-muted hover:bg-hover/60 hover:text-strong'}`}
          >
            <House size={18} aria-hidden="true" /> Home
          </button>
        </div>
        <RequestsSection />
        <ContactList openDialog={openDialog} />
      </div>
      <ConnectionIndicator />
      <OwnUserPanel onOpenSettings={onOpenSettings} />
    </aside>
  );
}

import { UserPlus } from 'lucide-react';
import type { OpenContactDialog } from '../contacts/contact-dialog-state';
import { ConnectionIndicator } from './connection-indicator';
import { ContactList } from './contact-list';
import { OwnUserPanel } from './own-user-panel';

/** UI-01: contacts with status dots, the connection indicator, and the user's own panel. */
export function Sidebar({ openDialog, onOpenSettings }: { openDialog: OpenContactDialog; onOpenSettings(): void }) {
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
        <ContactList openDialog={openDialog} />
      </div>
      <ConnectionIndicator />
      <OwnUserPanel onOpenSettings={onOpenSettings} />
    </aside>
  );
}

import { AtSign, PanelRight, PanelRightClose, Users } from 'lucide-react';
import { useCallback, useRef, useState } from 'react';
import { Button } from '../components/ui/button';
import { contactName } from '../lib/contact-display';
import { focusReturnTarget } from '../lib/focus-return';
import { useActions, useAppState } from '../store/app-context';
import { ContactDetails } from './contacts/contact-details';
import { ConversationSearch, MuteToggle } from './conversation/conversation-tools';
import { ConversationView } from './conversation/conversation-view';
import { useWindowNotices } from './conversation/use-window-notices';
import type { ContactDialog } from './contacts/contact-dialog-state';
import { ContactDialogs } from './contacts/contact-dialogs';
import { LinkIndicator, SecurityWarningBadge } from './links/link-indicator';
import { contactStatusLabel } from './requests/pending';
import { useOpenLinkOnSelect } from './links/use-open-link-on-select';
import { SettingsDialog } from './settings/settings-dialog';
import { Sidebar } from './sidebar/sidebar';
import { CallLayer, HeaderCallButton } from './calls/call-layer';
import { useNoFileNavigation } from './files/use-no-file-navigation';

/** The bar above the main panel: the selected contact, like a channel header, with the conversation's tools. */
function MainHeader({ profileShown, onToggleProfile }: { profileShown: boolean; onToggleProfile(): void }) {
  const contact = useAppState((s) => s.contacts?.find((c) => c.publicKey === s.selectedContactKey) ?? null);
  const ownName = useAppState((s) => s.identity?.displayName ?? 'You');
  return (
    <header className="flex h-12 shrink-0 items-center gap-2 border-b border-black/20 px-4 shadow-sm">
      {contact === null ? <Users size={20} className="text-muted" aria-hidden="true" /> : <AtSign size={20} className="text-muted" aria-hidden="true" />}
      <h1 className="min-w-0 truncate text-base font-semibold text-strong" title={contact === null ? undefined : contactName(contact)}>
        {contact === null ? 'Home' : contactName(contact)}
      </h1>
      {contact !== null && (
        <>
          <SecurityWarningBadge publicKey={contact.publicKey} size={18} />
          <span className="shrink-0 text-sm text-muted" data-testid="header-status">
            {contactStatusLabel(contact)}
          </span>
          <LinkIndicator publicKey={contact.publicKey} />
          <div className="ml-auto flex items-center gap-2">
            <HeaderCallButton publicKey={contact.publicKey} reachable={['online', 'away', 'busy'].includes(contact.onlineStatus)} />
            <MuteToggle publicKey={contact.publicKey} />
            <button
              type="button"
              data-testid="profile-toggle"
              aria-pressed={profileShown}
              aria-label={profileShown ? 'Hide profile' : 'Show profile'}
              onClick={onToggleProfile}
              className="rounded p-1 text-muted hover:bg-hover hover:text-strong"
            >
              {profileShown ? <PanelRightClose size={18} aria-hidden="true" /> : <PanelRight size={18} aria-hidden="true" />}
            </button>
            <ConversationSearch publicKey={contact.publicKey} nameOf={(author) => (author === contact.publicKey ? contactName(contact) : ownName)} />
          </div>
        </>
      )}
    </header>
  );
}

/** The unlocked app: sidebar on the left, the selected contact on the right. */
export function MainScreen() {
  const [dialog, setDialog] = useState<ContactDialog | null>(null);
  const returnFocus = useRef<() => HTMLElement | null>(() => null);
  const openDialog = useCallback((next: ContactDialog) => {
    returnFocus.current = focusReturnTarget(document.activeElement, next.kind === 'add' ? null : next.contact.publicKey);
    setDialog(next);
  }, []);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const loadError = useAppState((s) => s.loadError);
  const selected = useAppState((s) => s.contacts?.find((c) => c.publicKey === s.selectedContactKey) ?? null);
  const [profileShown, setProfileShown] = useState(true);
  const actions = useActions();
  useOpenLinkOnSelect();
  useWindowNotices();
  useNoFileNavigation();
  return (
    <div data-testid="main-screen" className="flex h-full overflow-hidden bg-base text-normal">
      <Sidebar openDialog={openDialog} onOpenSettings={() => setSettingsOpen(true)} />
      <main className="flex min-w-0 flex-1 flex-col">
        <MainHeader profileShown={profileShown} onToggleProfile={() => setProfileShown((shown) => !shown)} />
        {/* VOICE-01: the incoming call and the call bar (the calls themselves are in the conversation's timeline, VOICE-04). */}
        <CallLayer />
        {loadError !== null && (
          <div role="alert" className="m-4 flex items-center justify-between gap-4 rounded bg-danger/10 px-4 py-3 text-sm text-danger">
            <span>Could not load your data: {loadError}</span>
            <Button variant="secondary" onClick={() => void actions.reload()}>
              Try again
            </Button>
          </div>
        )}
        {selected === null ? (
          <div className="min-h-0 flex-1 overflow-y-auto">
            <ContactDetails openDialog={openDialog} />
          </div>
        ) : (
          <div className="flex min-h-0 flex-1">
            {/* MSG-01: the conversation; the contact's details beside it, as Discord's profile panel. */}
            <ConversationView key={selected.publicKey} contact={selected} />
            {profileShown && (
              <aside aria-label="Contact profile" className="w-72 shrink-0 overflow-y-auto border-l border-black/20 bg-sidebar xl:w-80">
                <ContactDetails openDialog={openDialog} compact />
              </aside>
            )}
          </div>
        )}
      </main>
      <ContactDialogs dialog={dialog} onClose={() => setDialog(null)} returnFocus={() => returnFocus.current()} />
      <SettingsDialog open={settingsOpen} onOpenChange={setSettingsOpen} />
    </div>
  );
}

import * as Tabs from '@radix-ui/react-tabs';
import { Dialog } from '../../components/ui/dialog';
import { AppearanceSettings } from './appearance-settings';
import { IdentitySettings } from './identity-settings';
import { NetworkSettings } from './network-settings';
import { DirectLinksSettings } from './direct-links-settings';
import { PrivacySettings } from './privacy-settings';
import { BlockedUsersSettings } from '../requests/blocked-users-settings';
import { VoiceSettingsTab } from '../calls/voice-settings-tab';
import { FileSettings } from '../files/file-settings';

const TAB =
  'rounded px-3 py-1.5 text-left text-sm font-medium text-muted hover:bg-hover hover:text-strong data-[state=active]:bg-hover data-[state=active]:text-strong';

/** UI-02: network, identity, privacy (MSG-01 read receipts), voice (VOICE-01), files (FILE-01, FILE-03) and appearance settings. */
export function SettingsDialog({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Settings" wide testId="settings-dialog">
      <Tabs.Root defaultValue="network" orientation="vertical" className="flex flex-col gap-4 sm:flex-row">
        <Tabs.List aria-label="Settings sections" className="flex shrink-0 gap-1 sm:w-36 sm:flex-col">
          <Tabs.Trigger value="network" className={TAB} data-testid="settings-tab-network">
            Network
          </Tabs.Trigger>
          <Tabs.Trigger value="identity" className={TAB} data-testid="settings-tab-identity">
            Identity
          </Tabs.Trigger>
          <Tabs.Trigger value="privacy" className={TAB} data-testid="settings-tab-privacy">
            Privacy
          </Tabs.Trigger>
          <Tabs.Trigger value="voice" className={TAB} data-testid="settings-tab-voice">
            Voice
          </Tabs.Trigger>
          <Tabs.Trigger value="files" className={TAB} data-testid="settings-tab-files">
            Files
          </Tabs.Trigger>
          <Tabs.Trigger value="appearance" className={TAB} data-testid="settings-tab-appearance">
            Appearance
          </Tabs.Trigger>
          <Tabs.Trigger value="blocked" className={TAB} data-testid="settings-tab-blocked">
            Blocked users
          </Tabs.Trigger>
        </Tabs.List>
        <div className="min-w-0 flex-1">
          <Tabs.Content value="network" className="flex flex-col gap-5">
            <NetworkSettings />
            <DirectLinksSettings />
          </Tabs.Content>
          <Tabs.Content value="identity">
            <IdentitySettings />
          </Tabs.Content>
          <Tabs.Content value="privacy">
            <PrivacySettings />
          </Tabs.Content>
          <Tabs.Content value="voice">
            <VoiceSettingsTab />
          </Tabs.Content>
          <Tabs.Content value="files">
            <FileSettings />
          </Tabs.Content>
          <Tabs.Content value="appearance">
            <AppearanceSettings />
          </Tabs.Content>
          <Tabs.Content value="blocked">
            <BlockedUsersSettings />
          </Tabs.Content>
        </div>
      </Tabs.Root>
    </Dialog>
  );
}

import * as Tabs from '@radix-ui/react-tabs';
import { AuthLayout } from './auth-layout';
import { CreateIdentityForm } from './create-identity-form';
import { RestoreBackupForm } from './restore-backup-form';

const TAB = 'flex-1 rounded px-3 py-1.5 text-sm font-medium text-muted data-[state=active]:bg-raised data-[state=active]:text-strong hover:text-strong';

/** First launch: make a new identity or restore one (IDEN-01, IDEN-03). */
export function FirstRunScreen() {
  return (
    <AuthLayout testId="first-run-screen">
      <h1 className="text-center text-2xl font-semibold text-strong">Welcome to DiscordOpus</h1>
      <p className="mb-6 mt-1 text-center text-sm text-muted">Your identity is a key made on this computer. No phone number, no e-mail.</p>
      <Tabs.Root defaultValue="create">
        <Tabs.List aria-label="How to start" className="mb-5 flex gap-1 rounded-md bg-input p-1">
          <Tabs.Trigger value="create" className={TAB} data-testid="tab-create">
            Create new
          </Tabs.Trigger>
          <Tabs.Trigger value="restore" className={TAB} data-testid="tab-restore">
            Restore backup
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="create">
          <CreateIdentityForm />
        </Tabs.Content>
        <Tabs.Content value="restore">
          <RestoreBackupForm />
        </Tabs.Content>
      </Tabs.Root>
    </AuthLayout>
  );
}

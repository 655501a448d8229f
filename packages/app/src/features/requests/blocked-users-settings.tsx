import { shortUserId } from '@discordopus/protocol';
import type { BlockedUser } from '@discordopus/protocol/bridge';
import { useState } from 'react';
import { Button } from '../../components/ui/button';
import { errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';
import { SettingsSection } from '../settings/section';

/** One empty list, so the selector's answer stays the same while nothing is loaded. */
const NONE: readonly BlockedUser[] = [];

/** CONT-06: Settings → Blocked users: nothing from them reaches the user until unblocked. */
export function BlockedUsersSettings() {
  const blocked = useAppState((s) => s.requests?.blocked ?? NONE);
  const actions = useActions();
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <SettingsSection
      title="Blocked users"
      description="Their contact requests, direct links and messages are refused. Unblocking lets them ask again; it does not add them back."
      testId="blocked-users-settings"
    >
      {blocked.length === 0 ? (
        <p className="text-sm text-muted" data-testid="blocked-users-empty">
          You have not blocked anyone.
        </p>
      ) : (
        <ul className="flex flex-col gap-1">
          {blocked.map((user) => (
            <li key={user.publicKey} data-testid="blocked-user" data-public-key={user.publicKey} className="flex items-center justify-between gap-2 rounded bg-hover/40 px-3 py-2">
              <span className="min-w-0">
                <span className="block truncate text-sm font-medium text-strong">{user.label}</span>
                <span className="block truncate font-mono text-xs text-muted" title={user.userId}>
                  {shortUserId(user.userId)}
                </span>
              </span>
              <Button
                variant="ghost"
                data-testid="unblock-user"
                onClick={() => {
                  setFailure(null);
                  actions.unblockUser(user.publicKey).catch((error: unknown) => setFailure(errorMessage(error)));
                }}
              >
                Unblock
              </Button>
            </li>
          ))}
        </ul>
      )}
      {failure !== null && (
        <p role="alert" className="text-sm text-danger">
          {failure}
        </p>
      )}
    </SettingsSection>
  );
}

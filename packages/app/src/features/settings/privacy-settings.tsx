import { useActions, useAppState } from '../../store/app-context';
import { SettingsSection } from './section';
import { SettingSwitch } from './setting-switch';

/** Settings → Privacy: whether contacts are told when their messages were read (MSG-01). */
export function PrivacySettings() {
  const settings = useAppState((s) => s.settings);
  const actions = useActions();
  const on = settings?.sendReadReceipts !== false;

  return (
    <SettingsSection title="Messages" testId="privacy-settings">
      <SettingSwitch
        label="Send read receipts"
        on={on}
        disabled={settings === null}
        update={(next) => actions.updateSettings({ sendReadReceipts: next })}
        switchTestId="read-receipts-switch"
        explanation={
          on
            ? 'On: your contacts see when you have read their messages.'
            : 'Off: your contacts do not see when you read their messages. They still see that a message was delivered.'
        }
      />
    </SettingsSection>
  );
}

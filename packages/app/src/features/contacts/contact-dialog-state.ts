import type { Contact } from '@discordopus/protocol/bridge';

/** Which contact dialog is open, if any: one at a time, owned by the main screen. */
export type ContactDialog =
  | { kind: 'add' }
  | { kind: 'rename'; contact: Contact }
  | { kind: 'remove'; contact: Contact }
  | { kind: 'verify'; contact: Contact }
  | { kind: 'block'; contact: Contact };

export type OpenContactDialog = (dialog: ContactDialog) => void;

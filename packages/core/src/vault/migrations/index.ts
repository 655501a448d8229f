import { migration001 } from './001-identity-and-settings';
import { migration002 } from './002-contacts';
import { migration003 } from './003-profile-cards';
import { migration004 } from './004-messages';
import { migration005 } from './005-contact-requests';
import { migration006 } from './006-message-epochs';
import { migration007 } from './007-file-transfers';
import { migration008 } from './008-message-epoch-continued';
import { migration009 } from './009-call-log';
import type { Migration } from './migration';

/** Every migration, in order. A new one goes in its own file and is appended here. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009];

export const SCHEMA_VERSION = MIGRATIONS.length;

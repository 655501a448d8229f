import { parseArgs } from 'node:util';
import { DiscordOpusError } from '@discordopus/protocol';
import { runCommand, type CliContext } from './commands';

export const USAGE = `discordopus-cli — DiscordOpus without a window: profiles, contacts, status, presence, links, messages, files.

Usage: discordopus-cli [--profile NAME] [--home DIR] [--json] <command> [arguments]

Commands:
  create --name NAME            make a new identity in a new profile
  id                            print your user ID (give it to your contacts)
  contacts                      list contacts with their status
  add <USER_ID> [--nickname N]  add a contact by user ID
  remove <USER_ID>              remove a contact
  rename <USER_ID> <NICKNAME>   set a contact's nickname ("" clears it)
  status [online|away|busy|invisible]
                                print or set your status (kept across restarts)
  server [URL ...]              print or set the signaling server URL(s)
  connect                       connect and print connection and presence events until Ctrl-C
  link <CONTACT> [--once]       open a direct link to a contact (user ID, nickname or name) once
                                it is online; print its state, direct/relayed and round-trip
                                time as JSON lines until Ctrl-C. --once: exit 0 when it is open
                                and measured, 1 if it closes first
  send <CONTACT> <TEXT> [--no-wait]
                                send a direct message; waits until the contact has stored it
                                (exit 0), or exits 1 with a code (it then waits in the outbox).
                                --no-wait: store it in the outbox and exit at once
  history <CONTACT> [--limit N] the newest N messages of a conversation (default 50), oldest first
  listen                        connect and print messages, receipts, typing, unread counts, file
                                offers, progress and completion and link changes as they happen,
                                until Ctrl-C (with --json: JSON lines)
  send-file <CONTACT> <PATH>    offer a file; stays until the contact has it (exit 0), declined,
                                cancelled or failed (exit 1); Ctrl-C keeps it for the next run
  accept <TRANSFER_ID> [DIR]    accept an offered file (ID from listen) into DIR (default: the
                                downloads folder, ~/Downloads/DiscordOpus); stays until complete
  search <WORDS> [--contact C] [--limit N]
                                messages containing every word (as word prefixes), newest first

Options:
  --profile NAME        profile to use (default: default)
  --home DIR            where profiles live (default: $DISCORDOPUS_HOME or the XDG data dir)
  --passphrase-file F   read the passphrase from the first line of F
                        (or set DISCORDOPUS_PASSPHRASE; otherwise you are asked)
  --insecure            allow ws:// to a server that is not this computer
  --json                machine-readable output, one JSON object per line
  -h, --help            this text
`;

const OPTIONS = {
  profile: { type: 'string' },
  home: { type: 'string' },
  name: { type: 'string' },
  nickname: { type: 'string' },
  'passphrase-file': { type: 'string' },
  insecure: { type: 'boolean', default: false },
  once: { type: 'boolean', default: false },
  'no-wait': { type: 'boolean', default: false },
  limit: { type: 'string' },
  contact: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The flags that take a value (`--home DIR`), to tell a value that starts with '-' from a flag. */
const TAKES_VALUE = new Set(Object.entries(OPTIONS).flatMap(([name, o]) => (o.type === 'string' ? [`--${name}`] : [])));
const SHORT_FLAGS = new Set(Object.values(OPTIONS).flatMap((o) => ('short' in o ? [`-${o.short}`] : [])));

/**
 * Flags are `--name` (and `-h`); any other argument that starts with a single '-' is an argument,
 * not a flag: a transfer ID is random base64url and 1 in 64 begins with '-' (`accept -2Qv…`), and
 * so may a message (`send bob "-1 from me"`). A mistyped `--flag` is still refused.
 */
export function parseCli(argv: string[]) {
  const flags: string[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (TAKES_VALUE.has(arg) && i + 1 < argv.length) flags.push(`${arg}=${argv[++i]!}`);
    else if (arg.startsWith('--') || SHORT_FLAGS.has(arg)) flags.push(arg);
    else positionals.push(arg);
  }
  return parseArgs({ args: [...flags, '--', ...positionals], allowPositionals: true, strict: true, options: OPTIONS });
}

/** Run the CLI; returns the process exit code. Errors print as `CODE: sentence`. */
export async function main(argv: string[], ctx: Omit<CliContext, 'args'>): Promise<number> {
  let parsed;
  try {
    parsed = parseCli(argv);
  } catch (err) {
    ctx.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help || parsed.positionals.length === 0) {
    ctx.stdout.write(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  try {
    return await runCommand({ ...ctx, args: parsed });
  } catch (err) {
    const e = DiscordOpusError.from(err);
    ctx.stderr.write(`${e.code}: ${e.message}\n`);
    if (e.code === 'INTERNAL') ctx.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    return 1;
  }
}

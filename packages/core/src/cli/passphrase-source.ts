import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { DiscordOpusError } from '@discordopus/protocol';

export const PASSPHRASE_ENV = 'DISCORDOPUS_PASSPHRASE';

/**
 * Where the CLI gets the vault passphrase, first match wins: `--passphrase-file F` (first line),
 * the DISCORDOPUS_PASSPHRASE environment variable (for scripts), or a hidden prompt on a
 * terminal. Never a command-line argument: those show up in `ps` and shell history.
 */
export async function readPassphrase(options: {
  file: string | undefined;
  env: NodeJS.ProcessEnv;
  prompt: string;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream;
}): Promise<string> {
  if (options.file) {
    const text = readFileSync(options.file, 'utf8');
    return text.split(/\r?\n/)[0] ?? '';
  }
  const fromEnv = options.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined) return fromEnv;
  const input = options.input ?? process.stdin;
  if (!input.isTTY) {
    throw new DiscordOpusError(
      'PASSPHRASE_REQUIRED',
      `No passphrase: use --passphrase-file FILE or set ${PASSPHRASE_ENV} when not on a terminal.`,
    );
  }
  return promptHidden(options.prompt, input, options.output ?? process.stderr);
}

function promptHidden(prompt: string, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<string> {
  output.write(prompt);
  let muted = true;
  const sink = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) output.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input, output: sink, terminal: true });
  return new Promise((resolve) => {
    rl.question('', (answer) => {
      muted = false;
      rl.close();
      output.write('\n');
      resolve(answer);
    });
  });
}

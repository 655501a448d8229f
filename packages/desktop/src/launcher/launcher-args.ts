import { parseArgs } from 'node:util';
import { DEFAULT_PROFILE_NAME, isValidProfileName } from '@discordopus/core';
import { DiscordOpusError } from '@discordopus/protocol';
import { signalingUrlProblem } from '@discordopus/protocol/bridge';
import { z } from 'zod';
import { LOG_LEVELS } from './console-logger';
import { DEFAULT_EMBEDDED_PORT } from './embedded-server';

/** Environment variable naming the browser, like `--browser`. */
export const BROWSER_ENV_VAR = 'DISCORDOPUS_BROWSER';

export const LAUNCHER_USAGE = `Usage: discordopus [options]      (npm start -- [options])

Opens DiscordOpus in a Chromium app window for one profile.

  --profile NAME          profile to open (default "${DEFAULT_PROFILE_NAME}"); letters, digits, - and _
  --home DIR              where profiles live (default: $DISCORDOPUS_HOME, else the platform's data folder)
  --server URL            signaling server for this run (repeat for fallbacks); default: the profile's
                          setting, or an embedded server on 127.0.0.1 when the profile has none
  --no-embedded-server    never start the embedded server
  --embedded-port N       port of the embedded server (default ${DEFAULT_EMBEDDED_PORT}); when it is taken by another
                          DiscordOpus launcher its server is shared, otherwise a free port is used
  --browser PATH          Chromium, Chrome, Edge or Brave to use (or $${BROWSER_ENV_VAR})
  --no-window             do not open a window; print the address to open instead
  --log-level LEVEL       ${LOG_LEVELS.join(' | ')} (default warn), on stderr
  -h, --help              this help
`;

export class UsageError extends DiscordOpusError<'USAGE'> {
  constructor(message: string) {
    super('USAGE', message);
  }
}

const argsSchema = z.object({
  profile: z.string().refine(isValidProfileName, 'a profile name is 1-32 letters, digits, - or _, starting with a letter or digit'),
  home: z.string().min(1, 'give the folder where profiles live').nullable(),
  servers: z.array(z.string().superRefine((url, ctx) => {
    const problem = signalingUrlProblem(url);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: `${url}: ${problem}` });
  })).max(5, 'give at most 5 servers'),
  embeddedServer: z.boolean(),
  embeddedPort: z.coerce
    .number({ error: 'a port is a whole number from 0 to 65535' })
    .int('a port is a whole number from 0 to 65535')
    .min(0, 'a port is a whole number from 0 to 65535')
    .max(65535, 'a port is a whole number from 0 to 65535'),
  browser: z.string().min(1, 'give the path of the browser').nullable(),
  window: z.boolean(),
  logLevel: z.enum(LOG_LEVELS, { error: `the log level is one of ${LOG_LEVELS.join(', ')}` }),
  help: z.boolean(),
});

export type LauncherArgs = z.infer<typeof argsSchema>;

/** Parse and check the command line once (CONVENTIONS 11). Throws UsageError. */
export function parseLauncherArgs(argv: readonly string[], env: NodeJS.ProcessEnv): LauncherArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        profile: { type: 'string' },
        home: { type: 'string' },
        server: { type: 'string', multiple: true },
        'no-embedded-server': { type: 'boolean' },
        'embedded-port': { type: 'string' },
        browser: { type: 'string' },
        'no-window': { type: 'boolean' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError(parseArgsMessage(err as NodeJS.ErrnoException));
  }
  const parsed = argsSchema.safeParse({
    profile: values.profile ?? DEFAULT_PROFILE_NAME,
    home: values.home ?? null,
    servers: (values.server ?? []).map((s) => s.trim()),
    embeddedServer: values['no-embedded-server'] !== true,
    embeddedPort: values['embedded-port'] ?? DEFAULT_EMBEDDED_PORT,
    browser: values.browser ?? (env[BROWSER_ENV_VAR] || null),
    window: values['no-window'] !== true,
    logLevel: values['log-level'] ?? 'warn',
    help: values.help === true,
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${flagOf(i.path[0])}: ${i.message}`).join('\n'));
  return parsed.data;
}

/** The flag a field comes from, so that errors speak the user's words (issue 15 item 8), never `embeddedPort` or `servers.0`. */
const FLAGS: Record<keyof LauncherArgs, string> = {
  profile: '--profile',
  home: '--home',
  servers: '--server',
  embeddedServer: '--no-embedded-server',
  embeddedPort: '--embedded-port',
  browser: `--browser (or $${BROWSER_ENV_VAR})`,
  window: '--no-window',
  logLevel: '--log-level',
  help: '--help',
};

function flagOf(field: PropertyKey | undefined): string {
  return typeof field === 'string' && field in FLAGS ? FLAGS[field as keyof LauncherArgs] : 'The command line';
}

function parseArgsMessage(err: NodeJS.ErrnoException): string {
  const option = /'(-[^' ]+)/.exec(err.message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `${option ?? 'An option'} is not an option of discordopus.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (option === undefined) return err.message;
      return /argument missing/.test(err.message) ? `${option} needs a value: ${option} VALUE.` : `${option} takes no value.`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument "${/'([^']*)'/.exec(err.message)?.[1] ?? ''}": every option starts with --.`;
    default:
      return err.message;
  }
}

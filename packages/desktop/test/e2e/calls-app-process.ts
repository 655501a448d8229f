// VOICE-04 fixture: one profile's app (core, bridge, the built UI) in a process of its own, as the
// launcher runs it, so that a test can kill -9 it mid-call. Prints one JSON line with the address
// of the window to open: {"url": "..."}. Arguments: home, profile, signaling server URL, app folder.
import { silentLogger, TEST_ONLY_CHEAP_SCRYPT } from '@discordopus/core';
import { launchProfile } from '../../src/launcher/launch-profile';
import { LOOPBACK_LINKS } from './e2e-support';

const [home, profile, server, appDir] = process.argv.slice(2);
if (home === undefined || profile === undefined || server === undefined || appDir === undefined) {
  process.stderr.write('usage: calls-app-process.ts HOME PROFILE SERVER_URL APP_DIR\n');
  process.exit(2);
}
const launched = await launchProfile({
  profile,
  home,
  servers: [server],
  embedded: null,
  appDir,
  browser: null,
  logger: silentLogger,
  kdf: TEST_ONLY_CHEAP_SCRYPT,
  network: LOOPBACK_LINKS,
});
process.stdout.write(`${JSON.stringify({ url: launched.issueAppUrl() })}\n`);

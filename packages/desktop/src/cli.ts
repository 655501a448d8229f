import { runLauncher } from './launcher/run-launcher';
import { releaseLinkEngine } from './launcher/release-link-engine';

/** The `discordopus` command (bin/discordopus.mjs, `npm start`). */
const stopRequested = new Promise<string>((resolve) => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve(signal));
});

const code = await runLauncher({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  stopRequested,
});
await releaseLinkEngine();
process.exit(code);

import { CONFIG_KEYS, ConfigError, describeConfigKey, parseServerConfig } from './config/config';
import { describeForCli, envName, flagName, readConfigSources } from './config/cli-args';
import cluster from 'node:cluster';
import { runPrimary, runWorker } from './cluster/workers';
import { startSignalingServer } from './server';

function usage(): string {
  const defaults = parseServerConfig({}) as Record<string, unknown>;
  const lines = CONFIG_KEYS.map((key) => {
    const def = defaults[key];
    const shown = def === undefined ? '' : ` (default: ${Array.isArray(def) ? def.join(',') || 'none' : String(def)})`;
    return `  --${flagName(key)}  [${envName(key)}]\n      ${describeConfigKey(key)}${shown}`;
  });
  return `Usage: discordopus-server [--flag value]...\n\nEvery flag can also be set in the environment variable shown.\n\n${lines.join('\n')}\n`;
}

/** `discordopus-server`: run one signaling node until SIGTERM or SIGINT. */
async function main(): Promise<void> {
  const { raw, help, errors, sources } = readConfigSources(process.argv.slice(2), process.env);
  if (help) {
    process.stdout.write(usage());
    return;
  }
  if (errors.length > 0) {
    process.stderr.write(`${errors.join('\n')}\nRun with --help for the list of flags.\n`);
    process.exit(2);
  }
  let config;
  try {
    config = parseServerConfig(raw);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const problems = describeForCli(err.issues, sources);
    process.stderr.write(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nRun with --help for the list of flags.\n`);
    process.exit(2);
  }
  if (config.workers > 1 && cluster.isPrimary) {
    runPrimary(config, process.stdout);
    return;
  }
  const server = cluster.isWorker ? await runWorker(config) : await startSignalingServer(config);
  if (cluster.isPrimary) process.stdout.write(`DiscordOpus signaling server listening on ${server.url}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: shutting down\n`);
    // Bounded: whatever happens, the process is gone shortly after the shutdown timeout.
    setTimeout(() => process.exit(1), server.config.shutdownTimeoutMs + 2_000).unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`discordopus-server failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

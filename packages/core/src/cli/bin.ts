import { shutdownLinkEngine } from '../links/engine/ndc-transport';
import { main } from './cli';

const code = await main(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
// The process owns the link engine: release it so nothing keeps Node alive (ARCHITECTURE: process hygiene).
await shutdownLinkEngine();
process.exitCode = code;

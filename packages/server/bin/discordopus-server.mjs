#!/usr/bin/env node
// `discordopus-server`: the signaling server CLI. Sources are TypeScript run through tsx.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli.ts', import.meta.url).href);

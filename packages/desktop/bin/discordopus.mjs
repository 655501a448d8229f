#!/usr/bin/env node
// Runs the TypeScript launcher directly (no build step): tsx compiles on load.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where `npm run build:app` puts the built app (packages/app/dist). */
export const BUILT_APP_DIR = fileURLToPath(new URL('../../../app/dist', import.meta.url));

/** The built app's folder, or null when it has not been built (the server then says how to build it). */
export function builtAppDir(dir: string = BUILT_APP_DIR): string | null {
  return existsSync(`${dir}/index.html`) ? dir : null;
}

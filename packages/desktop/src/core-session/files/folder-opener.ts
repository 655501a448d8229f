import { spawn } from 'node:child_process';

/** Shows a folder in the platform's file manager (injected: tests record the call instead). */
export type FolderOpener = (dir: string) => Promise<void>;

/** The platform's opener program for a folder: xdg-open, open (macOS) or explorer (Windows). */
export function openerCommand(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'open';
  if (platform === 'win32') return 'explorer';
  return 'xdg-open';
}

/**
 * FILE-03 "Open folder": runs the platform opener on the folder, as one argument and without a
 * shell (the folder is an absolute path the core chose). Only folders are opened: a received
 * file is never opened or run by DiscordOpus.
 */
export function platformFolderOpener(platform: NodeJS.Platform = process.platform, command: string = openerCommand(platform)): FolderOpener {
  return (dir) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(command, [dir], { detached: true, stdio: 'ignore', shell: false });
      child.once('error', reject);
      child.once('spawn', () => {
        child.unref();
        resolve();
      });
    });
}

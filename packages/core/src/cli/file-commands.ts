import type { ClientCore } from '../client/client-core';
import type { Contact } from '../contacts/contacts-store';
import type { FileTransferRecord } from '../files/file-store';
import type { Vault } from '../vault/vault';

/**
 * The file commands of `discordopus-cli` (FILE-01..03): `send-file`, `accept` and the file lines
 * of `listen`. A transfer's JSON line never carries the preview's bytes, only whether there is one.
 */

type Print = (human: string, json: object) => void;

/** A transfer as the CLI prints it (the contact's user ID instead of the hex key; no preview bytes). */
export function transferLine(vault: Vault, t: FileTransferRecord): object {
  const { preview, peer, sourcePath: _source, ...rest } = t;
  return { ...rest, contact: vault.contacts.get(peer)?.userId ?? peer, preview: preview ? preview.mime : null };
}

function human(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** Print every file event (offers, progress, pauses, state changes) until stopped (`listen`). */
export function watchFiles(core: ClientCore, vault: Vault, print: Print): { stop: () => void } {
  const offs = [
    core.on('fileOffered', ({ transfer, autoAccepted }) => {
      const who = vault.contacts.get(transfer.peer)?.shownName ?? transfer.peer.slice(0, 8);
      print(`${who} offers ${transfer.safeName} (${human(transfer.size)}) — accept ${transfer.id}${autoAccepted ? ' [auto-accepted]' : ''}`, {
        event: 'fileOffered',
        autoAccepted,
        ...transferLine(vault, transfer),
      });
    }),
    core.on('fileProgress', (e) => {
      const eta = e.etaMs === null ? '' : `, ${Math.ceil(e.etaMs / 1000)} s left`;
      print(`${e.id} ${human(e.bytes)} of ${human(e.size)} (${human(e.bytesPerSecond)}/s${eta})`, { event: 'fileProgress', ...e });
    }),
    core.on('fileInterrupted', (e) => {
      print(`${e.id} paused at ${human(e.bytes)}: the link to the contact dropped; it continues by itself when it is back`, { event: 'fileInterrupted', ...e });
    }),
    core.on('fileStateChanged', (e) => {
      const why = e.failure ? `: ${e.failure.code} ${e.failure.message}` : e.by ? ` by ${e.by === 'local' ? 'you' : 'the contact'}` : '';
      print(`${e.id} ${e.state}${why}${e.finalPath ? ` → ${e.finalPath}` : ''}`, { event: 'fileState', ...e });
    }),
  ];
  return { stop: () => offs.forEach((off) => off()) };
}

/**
 * Watch one transfer to its end: 0 when complete, 1 when declined, cancelled or failed; Ctrl-C
 * before that says it continues on the next run (FILE-02).
 */
function watchOne(core: ClientCore, vault: Vault, id: () => string | null, print: Print, stderr: NodeJS.WritableStream) {
  let finish: (code: number) => void = () => {};
  let finished = false;
  const done = new Promise<number>((resolve) => (finish = resolve));
  const end = (code: number) => {
    if (finished) return;
    finished = true;
    finish(code);
  };
  const events = watchFiles(core, vault, (h, json) => {
    const current = id();
    if (current !== null && (json as { id?: string }).id === current) print(h, json);
  });
  const off = core.on('fileStateChanged', (e) => {
    if (e.id !== id()) return;
    if (e.state === 'complete') end(0);
    else if (e.state !== 'accepted') end(1);
  });
  return {
    done,
    end,
    stop: () => {
      events.stop();
      off();
    },
    interrupted: () => {
      if (finished) return 0;
      finished = true;
      stderr.write('NOT_FINISHED: The transfer is kept; it continues when you and the contact are online together again.\n');
      return 1;
    },
  };
}

/** `send-file <CONTACT> <PATH>`: hash and offer the file, then stay until the transfer ends. */
export function watchSendFile(options: { core: ClientCore; vault: Vault; contact: Contact; path: string; print: Print; stderr: NodeJS.WritableStream }) {
  const { core, vault, contact, path, print, stderr } = options;
  let id: string | null = null;
  const watch = watchOne(core, vault, () => id, print, stderr);
  core
    .offerFile(contact.publicKey, path)
    .then((t) => {
      id = t.id;
      print(`offered ${t.id} (${t.safeName}, ${human(t.size)})`, { event: 'fileOffered', ...transferLine(vault, t) });
    })
    .catch((err: { code?: string; message?: string }) => {
      stderr.write(`${err.code ?? 'INTERNAL'}: ${err.message ?? 'The file could not be offered.'}\n`);
      watch.end(1);
    });
  return watch;
}

/** `accept <TRANSFER_ID> [DIR]`: accept an offered file and stay until it is complete. */
export function watchAccept(options: { core: ClientCore; vault: Vault; id: string; dir: string | undefined; print: Print; stderr: NodeJS.WritableStream }) {
  const { core, vault, id, dir, print, stderr } = options;
  const watch = watchOne(core, vault, () => id, print, stderr);
  const t = core.transfers().find((x) => x.id === id);
  if (t?.state === 'accepted') print(`resuming ${id}`, { event: 'fileResuming', ...transferLine(vault, t) });
  else core.acceptFile(id, dir); // throws TRANSFER_NOT_FOUND, BAD_STATE, TOO_LARGE, NOT_WRITABLE, DISK_FULL
  return watch;
}

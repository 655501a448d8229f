import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@discordopus/test-support';
import { WriteBatch } from './write-batch';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

async function socketPair(): Promise<{ writer: Socket; received: () => string }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const accepted = once(server, 'connection');
  const writer = connect(port, '127.0.0.1');
  await once(writer, 'connect');
  const [reader] = (await accepted) as [Socket];
  let text = '';
  reader.on('data', (d: Buffer) => (text += d.toString()));
  cleanup.push(() => {
    writer.destroy();
    reader.destroy();
    server.close();
  });
  return { writer, received: () => text };
}

describe('WriteBatch (INFR-01)', () => {
  it('INFR-01: the writes of one turn leave in one system call, right after the turn', async () => {
    const { writer, received } = await socketPair();
    const batches: number[] = [];
    const internal = writer as unknown as { _writev: (chunks: unknown[], cb: unknown) => void; _write: (c: unknown, e: unknown, cb: unknown) => void };
    const writev = internal._writev.bind(writer);
    const write = internal._write.bind(writer);
    internal._writev = (chunks, cb) => {
      batches.push(chunks.length);
      writev(chunks, cb);
    };
    internal._write = (chunk, enc, cb) => {
      batches.push(1);
      write(chunk, enc, cb);
    };
    const batch = new WriteBatch(writer);
    const expected: string[] = [];
    for (let i = 0; i < 50; i++) {
      batch.hold();
      writer.write(`m${i};`);
      expected.push(`m${i};`);
    }
    expect(writer.writableCorked).toBe(1);
    expect(batches).toEqual([]);
    await waitFor(() => received().length === expected.join('').length, 'the 50 writes at the reader');
    expect(received()).toBe(expected.join(''));
    expect(batches).toEqual([50]);
    expect(writer.writableCorked).toBe(0);
    // The next turn is a batch of its own.
    batch.hold();
    writer.write('again');
    await waitFor(() => received().endsWith('again'), 'the second batch at the reader');
    expect(batches).toEqual([50, 1]);
  });
});

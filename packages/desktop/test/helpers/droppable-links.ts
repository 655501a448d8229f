import { type ClientLinkOptions, createNdcTransport } from '@discordopus/core';
import { LOOPBACK_LINKS } from './sessions';

type CreateTransport = NonNullable<ClientLinkOptions['createPeerConnection']>;
type LinkManager = Parameters<NonNullable<ClientLinkOptions['onCreated']>>[0];
type ClosedListener = (e: { reason: 'failed'; detail: string }) => void;

/**
 * The real link engine (node-datachannel on 127.0.0.1), plus `drop(peer)`: the open connection to
 * `peer` closes and reports itself failed, as the engine reports a connection that went away
 * (failure injection, FILE-02, P2P-01). The link then closes as `transport-failed` without a word
 * to the peer, whose engine sees the connection go, and a wanted link is reopened by itself.
 */
export interface DroppableLinks {
  /** Link options for a session's `network.links`: the real engine, wrapped. */
  links: ClientLinkOptions;
  /** Drop the open link to `peer` (hex); false when there was none. */
  drop(peer: string): boolean;
}

export function droppableLinks(): DroppableLinks {
  const drops = new WeakMap<object, () => void>();
  let manager: LinkManager | null = null;
  const createPeerConnection: CreateTransport = (options) => {
    const real = createNdcTransport(options);
    const closedListeners = new Set<ClosedListener>();
    const on = real.on.bind(real) as (event: string, listener: (e: never) => void) => () => void;
    const wrapper = new Proxy(real, {
      get(target, prop) {
        if (prop === 'on') {
          return (event: string, listener: ClosedListener) => {
            const off = on(event, listener);
            if (event !== 'closed') return off;
            closedListeners.add(listener);
            return () => {
              closedListeners.delete(listener);
              off();
            };
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    drops.set(wrapper, () => {
      real.close();
      for (const listener of [...closedListeners]) listener({ reason: 'failed', detail: 'injected: the connection dropped' });
    });
    return wrapper;
  };
  return {
    links: { ...LOOPBACK_LINKS.links, createPeerConnection, onCreated: (m: LinkManager) => void (manager = m) },
    drop(peer: string): boolean {
      const transport = manager?.openTransport(peer) ?? null;
      const drop = transport === null ? undefined : drops.get(transport);
      drop?.();
      return drop !== undefined;
    },
  };
}

import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { CallEngine } from './call-engine';
import type { CallLevels, CallQuality, CallState } from './call-types';
import type { RingKind, Ringer } from './ring-tone';

/** What the call UI needs of the engine (the CallEngine; a narrower type keeps components honest). */
export type CallControlsApi = Pick<CallEngine, 'state' | 'controls' | 'on' | 'call' | 'accept' | 'decline' | 'hangup' | 'setMuted' | 'setDeafened'>;

export interface CallView {
  state: CallState;
  muted: boolean;
  deafened: boolean;
  quality: CallQuality | null;
  levels: CallLevels | null;
  connection: RTCPeerConnectionState | null;
}

const views = new WeakMap<CallControlsApi, { view: CallView; listeners: Set<() => void>; unsubscribe: () => void }>();

function entry(engine: CallControlsApi) {
  const known = views.get(engine);
  if (known !== undefined) return known;
  const listeners = new Set<() => void>();
  const made = {
    view: { state: engine.state, ...engine.controls, quality: null, levels: null, connection: null } as CallView,
    listeners,
    unsubscribe: () => {},
  };
  const update = (patch: Partial<CallView>) => {
    made.view = { ...made.view, ...patch };
    for (const l of [...listeners]) l();
  };
  const offs = [
    engine.on('stateChanged', ({ state }) =>
      update(state.phase === 'ringing' || state.phase === 'outgoing' ? { state, quality: null, levels: null, connection: null } : { state }),
    ),
    engine.on('controls', (c) => update(c)),
    engine.on('quality', ({ quality }) => update({ quality })),
    engine.on('levels', ({ levels }) => update({ levels })),
    engine.on('connectionChanged', ({ state }) => update({ connection: state })),
  ];
  made.unsubscribe = () => offs.forEach((off) => off());
  views.set(engine, made);
  return made;
}

/** The call's state for React, from the engine's typed events. */
export function useCallView(engine: CallControlsApi): CallView {
  const e = entry(engine);
  return useSyncExternalStore(
    (listener) => {
      e.listeners.add(listener);
      return () => e.listeners.delete(listener);
    },
    () => e.view,
  );
}

/** Plays `kind` on the ringer while it is not null; stops on change and unmount. */
export function useRingTone(ringer: Ringer, kind: RingKind | null): void {
  const ref = useRef(ringer);
  ref.current = ringer;
  useEffect(() => {
    if (kind === null) return;
    ref.current.start(kind);
    return () => ref.current.stop();
  }, [kind]);
}

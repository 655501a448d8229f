import type { RequestsOverview } from '@discordopus/protocol/bridge';
import type { StateCreator } from 'zustand/vanilla';

/** CONT-06: incoming contact requests and blocked users (null: not loaded yet). */
export interface RequestsSlice {
  requests: RequestsOverview | null;
  setRequests(requests: RequestsOverview): void;
}

export const createRequestsSlice: StateCreator<RequestsSlice, [], [], RequestsSlice> = (set) => ({
  requests: null,
  setRequests: (requests) => set({ requests }),
});

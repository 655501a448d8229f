/** Poll a condition until it holds (no fixed sleeps); fails with what was awaited. */
export { waitFor as waitUntil } from '@discordopus/test-support';

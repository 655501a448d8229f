import { CLOSE_CODES } from '@discordopus/protocol';

/** Socket error codes (Node's) in words a user understands (issue 15 item 9). */
const SOCKET_ERRORS: Record<string, string> = {
  ENOTFOUND: 'the server’s name could not be found; check the address and this computer’s internet connection',
  EAI_AGAIN: 'the server’s name could not be looked up right now; check this computer’s internet connection',
  ECONNREFUSED: 'nothing answers at the server’s address (is the server running?)',
  ECONNRESET: 'the connection was cut off',
  EPIPE: 'the connection was cut off',
  ETIMEDOUT: 'the server took too long to answer',
  EHOSTUNREACH: 'the server cannot be reached from this network',
  ENETUNREACH: 'this computer is not connected to a network that reaches the server',
  ENETDOWN: 'this computer’s network is down',
  CERT_HAS_EXPIRED: 'the server’s certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server’s certificate is not signed by an authority this computer trusts',
  SELF_SIGNED_CERT_IN_CHAIN: 'the server’s certificate is not signed by an authority this computer trusts',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server’s certificate could not be checked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server’s certificate is for another name',
};

/**
 * Why the connection to the signaling server ended, as one sentence for the UI: never a bare
 * code such as "1006" or "ENOTFOUND". `wasOpen`: whether the connection had been established
 * (then it was lost; otherwise it could not be made).
 */
export function connectionEndedDetail(input: { socketError: string | null; closeCode: number; wasOpen: boolean }): string {
  const start = input.wasOpen ? 'The connection to the server was lost' : 'Could not connect to the server';
  const known = input.socketError !== null ? SOCKET_ERRORS[input.socketError] : undefined;
  if (known !== undefined) return `${start}: ${known}.`;
  if (input.socketError !== null) return `${start} (network error ${input.socketError}).`;
  switch (input.closeCode) {
    case CLOSE_CODES.GOING_AWAY:
      return 'The server is restarting.';
    case 1006:
      return input.wasOpen ? `${start}: it stopped without saying goodbye (the server or the network went away).` : `${start}: it did not answer.`;
    case 1011:
      return `${start}: the server had an internal error.`;
    case 1013:
      return `${start}: the server is overloaded; trying again later.`;
    default:
      return `${start}.`;
  }
}

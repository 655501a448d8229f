import { DTLS_FINGERPRINT_PATTERN } from '@discordopus/protocol/calls';

/**
 * SDP helpers for calls (VOICE-01, PROTOCOL.md §9.2). Pure text functions: no browser APIs, so
 * they are unit-tested in isolation and the Chromium tests check their effect on the
 * negotiated SDP.
 */

const LINE = /\r\n/;

/** The payload type of `opus/48000/2` in the SDP, or null when there is none. */
export function opusPayloadType(sdp: string): string | null {
  const match = /^a=rtpmap:(\d+) opus\/48000(?:\/2)?$/im.exec(sdp.split(LINE).join('\n'));
  return match?.[1] ?? null;
}

/** The Opus parameters this app always wants: in-band FEC and DTX on, 10 ms minimum frames. */
export const OPUS_FMTP: Readonly<Record<string, string>> = { minptime: '10', useinbandfec: '1', usedtx: '1' };

/**
 * Make the Opus `a=fmtp` line carry `useinbandfec=1;usedtx=1` (keeping whatever else is there,
 * values of ours win), adding the line after the rtpmap when it is missing. SDP without Opus is
 * returned unchanged.
 */
export function mungeOpus(sdp: string, wanted: Readonly<Record<string, string>> = OPUS_FMTP): string {
  const pt = opusPayloadType(sdp);
  if (pt === null) return sdp;
  const lines = sdp.split(LINE);
  const fmtpPrefix = `a=fmtp:${pt} `;
  const fmtpIndex = lines.findIndex((l) => l.startsWith(fmtpPrefix));
  const params = new Map<string, string>();
  if (fmtpIndex >= 0) {
    for (const part of (lines[fmtpIndex] ?? '').slice(fmtpPrefix.length).split(';')) {
      const [key, value] = part.split('=');
      if (key !== undefined && key.trim() !== '') params.set(key.trim(), (value ?? '').trim());
    }
  }
  for (const [key, value] of Object.entries(wanted)) params.set(key, value);
  const line = fmtpPrefix + [...params].map(([k, v]) => `${k}=${v}`).join(';');
  if (fmtpIndex >= 0) lines[fmtpIndex] = line;
  else lines.splice(lines.findIndex((l) => l.toLowerCase().startsWith(`a=rtpmap:${pt} opus/`)) + 1, 0, line);
  return lines.join('\r\n');
}

/** The Opus `a=fmtp` parameters of an SDP (empty when none). */
export function opusParameters(sdp: string): Record<string, string> {
  const pt = opusPayloadType(sdp);
  if (pt === null) return {};
  const line = sdp.split(LINE).find((l) => l.startsWith(`a=fmtp:${pt} `));
  if (line === undefined) return {};
  return Object.fromEntries(
    line
      .slice(`a=fmtp:${pt} `.length)
      .split(';')
      .map((p) => p.split('=').map((s) => s.trim()))
      .filter((kv): kv is [string, string] => kv.length === 2 && kv[0] !== ''),
  );
}

/** Normalise a fingerprint to the wire form `sha-256 AB:CD:…`, or null when it is not SHA-256. */
export function normaliseFingerprint(algorithm: string, value: string): string | null {
  const text = `${algorithm.trim().toLowerCase()} ${value.trim().toUpperCase()}`;
  return DTLS_FINGERPRINT_PATTERN.test(text) ? text : null;
}

/**
 * The one DTLS fingerprint of an SDP (`a=fingerprint:` at session or media level), normalised;
 * null when there is none, it is not SHA-256, or the SDP names two different ones.
 */
export function sdpFingerprint(sdp: string): string | null {
  const found = new Set<string | null>();
  for (const line of sdp.split(LINE)) {
    const match = /^a=fingerprint:(\S+) (\S+)$/i.exec(line);
    if (match !== null) found.add(normaliseFingerprint(match[1] ?? '', match[2] ?? ''));
  }
  if (found.size !== 1) return null;
  return [...found][0] ?? null;
}

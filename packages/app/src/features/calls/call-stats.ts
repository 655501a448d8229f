import type { CallQuality } from './call-types';
import { normaliseFingerprint } from './sdp';

/**
 * Readings from `RTCPeerConnection.getStats()` (VOICE-03, VOICE-01): pure functions over the
 * report, so that the engine only decides when to sample.
 */

type Stat = Record<string, unknown> & { id: string; type: string };

function all(report: RTCStatsReport): Stat[] {
  const out: Stat[] = [];
  report.forEach((s: Stat) => out.push(s));
  return out;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function transport(stats: Stat[]): Stat | null {
  return stats.find((s) => s.type === 'transport') ?? null;
}

function audioOf(stats: Stat[], type: string): Stat | null {
  return stats.find((s) => s.type === type && (s.kind === 'audio' || s.mediaType === 'audio')) ?? null;
}

/** The remote DTLS certificate's fingerprint in wire form, or null before DTLS is up. */
export function remoteCertificateFingerprint(report: RTCStatsReport): string | null {
  const stats = all(report);
  const certId = str(transport(stats)?.remoteCertificateId);
  const cert = certId === null ? null : report.get(certId) as Stat | undefined;
  if (cert === undefined || cert === null) return null;
  const alg = str(cert.fingerprintAlgorithm);
  const value = str(cert.fingerprint);
  return alg === null || value === null ? null : normaliseFingerprint(alg, value);
}

type CertificateTransport = RTCDtlsTransport & { getRemoteCertificates?: () => ArrayBuffer[] };

/**
 * The remote DTLS certificate's fingerprint (wire form) from the transport itself: SHA-256 of
 * the DER certificate the peer presented. Null where the browser lacks getRemoteCertificates or
 * before the handshake.
 */
export async function transportCertificateFingerprint(pc: RTCPeerConnection): Promise<string | null> {
  const transport = [...pc.getSenders(), ...pc.getReceivers()].map((x) => x.transport).find((t) => t !== null) as CertificateTransport | undefined;
  const der = typeof transport?.getRemoteCertificates === 'function' ? transport.getRemoteCertificates()[0] : undefined;
  if (der === undefined) return null;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der));
  return normaliseFingerprint('sha-256', [...digest].map((b) => b.toString(16).padStart(2, '0')).join(':'));
}

/** Up to 2 s for the remote certificate to show once connected. */
const CERTIFICATE_ATTEMPTS = 20;
const CERTIFICATE_RETRY_MS = 100;

/**
 * The remote DTLS certificate's fingerprint as the browser saw it in the handshake: the DER
 * certificate from `RTCDtlsTransport.getRemoteCertificates()` hashed here, and the
 * `certificate` stats of getStats. Every source that answers must agree ('mismatch'
 * otherwise). Chromium caches a transport's certificate stats from the first getStats call, so
 * a report asked for before DTLS finished may never show the remote certificate: the
 * transport's own answer counts then, and both are asked again (bounded) while neither answers.
 * `pc` returns null once the call is gone.
 */
export async function handshakeFingerprint(pc: () => RTCPeerConnection | null, delay: (ms: number) => Promise<void>): Promise<string | null> {
  for (let attempt = 0; attempt < CERTIFICATE_ATTEMPTS; attempt += 1) {
    const connection = pc();
    if (connection === null) return null;
    const seen = [await transportCertificateFingerprint(connection), remoteCertificateFingerprint(await connection.getStats())].filter((f) => f !== null);
    if (seen.length > 0) return seen.every((f) => f === seen[0]) ? (seen[0] ?? null) : 'mismatch';
    await delay(CERTIFICATE_RETRY_MS);
  }
  return null;
}

/** Counters kept between quality samples. */
export interface QualityCounters {
  at: number;
  bytesReceived: number;
  bytesSent: number;
  packetsReceived: number;
  packetsLost: number;
}

export function qualityCounters(report: RTCStatsReport, at: number): QualityCounters {
  const stats = all(report);
  const inbound = audioOf(stats, 'inbound-rtp');
  const outbound = audioOf(stats, 'outbound-rtp');
  return {
    at,
    bytesReceived: num(inbound?.bytesReceived) ?? 0,
    bytesSent: num(outbound?.bytesSent) ?? 0,
    packetsReceived: num(inbound?.packetsReceived) ?? 0,
    packetsLost: num(inbound?.packetsLost) ?? 0,
  };
}

/** Inbound RTP packets so far (0 before the first audio packet). */
export function inboundPackets(report: RTCStatsReport): number {
  return num(audioOf(all(report), 'inbound-rtp')?.packetsReceived) ?? 0;
}

/** One quality sample; rates are over the interval since `prev` (null on the first sample). */
export function qualitySample(report: RTCStatsReport, at: number, prev: QualityCounters | null): { quality: CallQuality; counters: QualityCounters } {
  const stats = all(report);
  const counters = qualityCounters(report, at);
  const inbound = audioOf(stats, 'inbound-rtp');
  const pairId = str(transport(stats)?.selectedCandidatePairId);
  const pair = (pairId !== null ? (report.get(pairId) as Stat | undefined) : undefined) ?? stats.find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded');
  const local = pair ? (report.get(str(pair.localCandidateId) ?? '') as Stat | undefined) : undefined;
  const remote = pair ? (report.get(str(pair.remoteCandidateId) ?? '') as Stat | undefined) : undefined;
  const codecStat = inbound ? (report.get(str(inbound.codecId) ?? '') as Stat | undefined) : undefined;
  const rtt = num(pair?.currentRoundTripTime);
  const jitter = num(inbound?.jitter);
  const seconds = prev === null ? 0 : (at - prev.at) / 1000;
  const lost = prev === null ? 0 : Math.max(0, counters.packetsLost - prev.packetsLost);
  const received = prev === null ? 0 : Math.max(0, counters.packetsReceived - prev.packetsReceived);
  const route =
    local === undefined ? null : local.candidateType === 'relay' || remote?.candidateType === 'relay' ? 'relayed' : 'direct';
  const codec = codecStat === undefined ? null : [str(codecStat.mimeType), num(codecStat.clockRate), str(codecStat.sdpFmtpLine)].filter((x) => x !== null).join(' ');
  return {
    counters,
    quality: {
      at,
      rttMs: rtt === null ? null : Math.round(rtt * 1000),
      jitterMs: jitter === null ? null : Math.round(jitter * 1000 * 10) / 10,
      loss: prev === null || lost + received === 0 ? null : lost / (lost + received),
      inboundBitrate: seconds > 0 && prev !== null ? Math.round(((counters.bytesReceived - prev.bytesReceived) * 8) / seconds) : null,
      outboundBitrate: seconds > 0 && prev !== null ? Math.round(((counters.bytesSent - prev.bytesSent) * 8) / seconds) : null,
      codec: codec === '' ? null : codec,
      route,
    },
  };
}

/** Audio levels (0–1): what the microphone sends (`media-source`) and what is heard (`inbound-rtp`). */
export function audioLevels(report: RTCStatsReport): { local: number; remote: number } {
  const stats = all(report);
  return {
    local: num(audioOf(stats, 'media-source')?.audioLevel) ?? 0,
    remote: num(audioOf(stats, 'inbound-rtp')?.audioLevel) ?? 0,
  };
}

import { z } from 'zod';
import { signalingUrlProblem } from '../wire/signaling-url';
import { BRIDGE_LIMITS } from './primitives';

export { signalingUrlProblem };

/** A signaling server URL the user sets (UI-02): the one set of rules in wire/signaling-url.ts. */
export const signalingUrlSchema = z
  .string()
  .trim()
  .max(BRIDGE_LIMITS.signalingUrlChars)
  .superRefine((url, ctx) => {
    const problem = signalingUrlProblem(url);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The shape only (plain ws:// anywhere allowed): for settings.set, whose core checks ws:// against the profile's switch. */
export const anySignalingUrlSchema = z
  .string()
  .trim()
  .max(BRIDGE_LIMITS.signalingUrlChars)
  .superRefine((url, ctx) => {
    const problem = signalingUrlProblem(url, { allowInsecureRemote: true });
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

import { Phone, PhoneOff } from 'lucide-react';
import { Button } from '../../components/ui/button';
import { Dialog } from '../../components/ui/dialog';
import type { Ringer } from './ring-tone';
import { useCallView, useRingTone, type CallControlsApi } from './use-call-view';

/**
 * The callee's ringing window (VOICE-01): who is calling, Accept and Decline, and the ring
 * sound while it is open. Closing it (Escape, ×) declines.
 */
export function IncomingCallDialog({ engine, callerName, ringer }: { engine: CallControlsApi; callerName: string; ringer: Ringer }) {
  const { state } = useCallView(engine);
  const ringing = state.phase === 'ringing' && state.direction === 'incoming';
  useRingTone(ringer, ringing ? 'ring' : null);
  return (
    <Dialog open={ringing} onOpenChange={(open) => !open && engine.decline()} title={`${callerName} is calling`} description="Voice call" testId="incoming-call">
      <div className="flex justify-end gap-3">
        <Button variant="danger" onClick={() => engine.decline()} data-testid="decline-call">
          <PhoneOff size={16} aria-hidden="true" /> Decline
        </Button>
        <Button onClick={() => void engine.accept().catch(() => {})} data-testid="accept-call">
          <Phone size={16} aria-hidden="true" /> Accept
        </Button>
      </div>
    </Dialog>
  );
}

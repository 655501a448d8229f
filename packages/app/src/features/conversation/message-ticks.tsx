import type { Message } from '@discordopus/protocol/bridge';
import { Check, CheckCheck, CircleAlert, Clock } from 'lucide-react';

const LABELS: Record<Message['state'], string> = {
  queued: 'Waiting to be sent',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not sent',
};

/** MSG-01: where an own message is: queued (clock), sent ✓, delivered ✓✓, read ✓✓ in colour, or failed with the reason. */
export function MessageTicks({ message }: { message: Message }) {
  const label = message.state === 'failed' && message.failure !== null ? `${LABELS.failed}: ${message.failure}` : LABELS[message.state];
  const common = { size: 14, 'aria-hidden': true } as const;
  return (
    <span data-testid="message-state" data-state={message.state} role="img" aria-label={label} title={label} className="inline-flex shrink-0 items-center">
      {message.state === 'queued' && <Clock {...common} className="text-muted" />}
      {message.state === 'sent' && <Check {...common} className="text-muted" />}
      {message.state === 'delivered' && <CheckCheck {...common} className="text-muted" />}
      {message.state === 'read' && <CheckCheck {...common} className="text-accent" />}
      {message.state === 'failed' && (
        <span className="inline-flex items-center gap-1 text-xs text-tone-bad">
          <CircleAlert {...common} /> {label}
        </span>
      )}
    </span>
  );
}

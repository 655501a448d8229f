import { describe, expect, it } from 'vitest';
import { ServerMetrics } from './metrics';

describe('ServerMetrics message counts (INFR-01)', () => {
  it('INFR-01: counts per type show on every scrape as running totals, unknown types as other', async () => {
    const metrics = new ServerMetrics({ processMetrics: false });
    for (let i = 0; i < 3; i++) metrics.countIn('signal.send');
    metrics.countIn('no.such.type');
    metrics.countOut('signal.relay');
    const first = await metrics.text();
    expect(first).toContain('discordopus_messages_in_total{type="signal.send"} 3');
    expect(first).toContain('discordopus_messages_in_total{type="other"} 1');
    expect(first).toContain('discordopus_messages_out_total{type="signal.relay"} 1');
    expect(first).not.toContain('type="heartbeat.ping"');
    metrics.countIn('signal.send');
    const second = await metrics.text();
    expect(second).toContain('discordopus_messages_in_total{type="signal.send"} 4');
    expect(second).toContain('discordopus_messages_out_total{type="signal.relay"} 1');
  });
});

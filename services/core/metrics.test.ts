import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

describe('metrics', () => {
  it('renders counters with labels, gauges and summaries in Prometheus text format', () => {
    const m = createMetrics();
    const frames = m.counter('frames_total', 'Frames');
    frames.inc(2, { protocol: 'native' });
    frames.inc(1, { protocol: 'native' });
    m.gauge('live', 'Live', () => 7);
    const lat = m.summary('lat_seconds', 'Latency', 100);
    for (let i = 1; i <= 100; i++) lat.observe(i / 1000);
    const text = m.render();
    expect(text).toContain('frames_total{protocol="native"} 3');
    expect(text).toMatch(/^live 7$/m);
    expect(text).toContain('lat_seconds{quantile="0.95"} 0.096');
    expect(text).toMatch(/^lat_seconds_count 100$/m);
  });
});

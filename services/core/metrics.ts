/** A tiny Prometheus registry: counters and gauges with optional labels, rendered in text format. */
type Labels = Record<string, string>;

interface Series { help: string; type: 'counter' | 'gauge' | 'summary'; values: Map<string, number>; collect?: () => number; quantiles?: () => Record<string, number> }

/** Keeps the last `size` observations; quantiles are computed at scrape time (cheap to observe). */
function createReservoir(size: number) {
  const buf = new Float64Array(size);
  let n = 0;
  let sum = 0;
  let count = 0;
  return {
    observe(v: number) { buf[n++ % size] = v; sum += v; count++; },
    snapshot() {
      const vals = Array.from(buf.subarray(0, Math.min(n, size))).sort((a, b) => a - b);
      const q = (p: number) => (vals.length ? vals[Math.min(vals.length - 1, Math.floor(p * vals.length))] : 0);
      return { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: vals.length ? vals[vals.length - 1] : 0, sum, count };
    },
    reset() { n = 0; sum = 0; count = 0; },
  };
}

function labelKey(labels?: Labels): string {
  if (!labels) return '';
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

export function createMetrics() {
  const series = new Map<string, Series>();
  const get = (name: string, help: string, type: Series['type']) => {
    let s = series.get(name);
    if (!s) series.set(name, (s = { help, type, values: new Map() }));
    return s;
  };
  return {
    counter(name: string, help: string) {
      const s = get(name, help, 'counter');
      return { inc(by = 1, labels?: Labels) { const k = labelKey(labels); s.values.set(k, (s.values.get(k) ?? 0) + by); } };
    },
    /** A gauge read at scrape time. */
    gauge(name: string, help: string, collect: () => number) {
      get(name, help, 'gauge').collect = collect;
    },
    /** A latency summary (seconds) over a sliding reservoir, exported as p50/p95/p99 quantiles. */
    summary(name: string, help: string, size = 20_000) {
      const r = createReservoir(size);
      const s = get(name, help, 'summary');
      s.quantiles = () => { const x = r.snapshot(); return { '0.5': x.p50, '0.95': x.p95, '0.99': x.p99, sum: x.sum, count: x.count }; };
      return r;
    },
    render(): string {
      const out: string[] = [];
      for (const [name, s] of series) {
        out.push(`# HELP ${name} ${s.help}`, `# TYPE ${name} ${s.type}`);
        if (s.quantiles) {
          const q = s.quantiles();
          for (const p of ['0.5', '0.95', '0.99']) out.push(`${name}{quantile="${p}"} ${q[p]}`);
          out.push(`${name}_sum ${q.sum}`, `${name}_count ${q.count}`);
          continue;
        }
        if (s.collect) out.push(`${name} ${s.collect()}`);
        else if (s.values.size === 0) out.push(`${name} 0`);
        for (const [k, v] of s.values) out.push(`${name}${k} ${v}`);
      }
      return out.join('\n') + '\n';
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
export type Counter = ReturnType<Metrics['counter']>;
export type Summary = ReturnType<Metrics['summary']>;

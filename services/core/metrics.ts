/** A tiny Prometheus registry: counters and gauges with optional labels, rendered in text format. */
type Labels = Record<string, string>;

interface Series { help: string; type: 'counter' | 'gauge'; values: Map<string, number>; collect?: () => number }

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
    render(): string {
      const out: string[] = [];
      for (const [name, s] of series) {
        out.push(`# HELP ${name} ${s.help}`, `# TYPE ${name} ${s.type}`);
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

/**
 * Progress for people: a redrawn bar on a terminal (percent, MB, speed, ETA), plain lines elsewhere (logs, CI).
 */
import type { ModelProgress } from './install-files.js';

export function formatMB(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 2 : 1)} MB`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function renderBar(fraction: number, width = 24): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
}

/** Download speed over a sliding window, in bytes per second. */
export function createSpeedMeter(windowMs = 5000): { add(now: number, bytes: number): void; rate(): number } {
  const samples: { t: number; b: number }[] = [];
  return {
    add(now, bytes) {
      samples.push({ t: now, b: bytes });
      while (samples.length > 2 && now - samples[0].t > windowMs) samples.shift();
    },
    rate() {
      if (samples.length < 2) return 0;
      const first = samples[0];
      const last = samples[samples.length - 1];
      const dt = (last.t - first.t) / 1000;
      return dt > 0 ? (last.b - first.b) / dt : 0;
    },
  };
}

/** One status line: `name  [####----]  42%  16.5/39.3 MB  2.1 MB/s  ETA 0:11`. */
export function formatDownloadLine(label: string, received: number, total: number | null, bytesPerSecond: number): string {
  const speed = bytesPerSecond > 0 ? `${formatMB(bytesPerSecond)}/s` : '-- MB/s';
  if (total === null || total <= 0) return `${label}  ${formatMB(received)}  ${speed}`;
  const pct = Math.floor((received / total) * 100);
  const eta = bytesPerSecond > 0 ? formatDuration((total - received) / bytesPerSecond) : '--:--';
  return `${label}  ${renderBar(received / total)}  ${String(pct).padStart(3)}%  ${formatMB(received).replace(' MB', '')}/${formatMB(total)}  ${speed}  ETA ${eta}`;
}

export interface ProgressReporterOptions {
  write: (text: string) => void;
  /** Redraw one line in place (a terminal) instead of printing lines. */
  tty: boolean;
  now?: () => number;
  /** Terminal redraw interval. */
  intervalMs?: number;
}

/** Turns ModelProgress events into output; call `end()` before printing anything else. */
export function createProgressReporter(o: ProgressReporterOptions): { onProgress(p: ModelProgress): void; end(): void } {
  const now = o.now ?? Date.now;
  const interval = o.intervalMs ?? 100;
  let current = '';
  let meter = createSpeedMeter();
  let lastDraw = 0;
  let lastDecile = -1;
  let drawn = false;

  const line = (text: string) => {
    if (drawn) { o.write('\n'); drawn = false; }
    o.write(`${text}\n`);
  };

  return {
    onProgress(p) {
      switch (p.phase) {
        case 'download': {
          const label = p.count > 1 ? `${p.name} ${p.file} (${p.index + 1}/${p.count})` : p.name;
          const t = now();
          if (label !== current) {
            current = label;
            meter = createSpeedMeter();
            lastDecile = -1;
            if (!o.tty) line(`downloading ${label}${p.resumedFrom > 0 ? ` (resuming at ${formatMB(p.resumedFrom)})` : ''}`);
          }
          meter.add(t, p.received);
          const complete = p.total !== null && p.received >= p.total;
          if (o.tty) {
            if (t - lastDraw < interval && !complete) return;
            lastDraw = t;
            o.write(`\r\x1b[2K${formatDownloadLine(label, p.received, p.total, meter.rate())}`);
            drawn = true;
          } else if (p.total) {
            const decile = Math.floor((p.received / p.total) * 10);
            if (decile > lastDecile) {
              lastDecile = decile;
              line(formatDownloadLine(label, p.received, p.total, meter.rate()));
            }
          }
          return;
        }
        case 'retry':
          line(`${p.message}; retrying in ${(p.delayMs / 1000).toFixed(1)} s (attempt ${p.attempt})`);
          current = '';
          return;
        case 'verify':
          line(`verifying ${p.file} (size, SHA-256)`);
          return;
        case 'unpack':
          line(`unpacking ${p.name}`);
          return;
      }
    },
    end() {
      if (drawn) { o.write('\n'); drawn = false; }
    },
  };
}

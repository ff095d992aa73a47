import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type WaveSurfer from 'wavesurfer.js';
import { formatDuration, formatNumber, t } from '../i18n';

/** What other parts of a screen may do with the player (seek from the transcript, the chart, evidence links). */
export interface PlayerControls {
  seek(ms: number): void;
  toggle(): void;
}

const RATES = [0.75, 1, 1.25, 1.5, 2];
const STEP_S = 5;
const BIG_STEP_S = 30;
/** Channel colours: agent left, customer right (the recorder's layout); the same variables colour the transcript. */
const css = (name: string, fallback: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

/**
 * A stereo recording player: an <audio> element for playback (byte ranges, works without the waveform) and a
 * wavesurfer.js waveform with one lane per speaker. Keyboard: Space plays/pauses, ←/→ move 5 s (Shift: 30 s),
 * Home/End; the waveform reads left to right in both languages, like the time axis of the charts.
 */
export function WaveformPlayer(props: {
  src: string;
  onTime: (ms: number) => void;
  controls?: (c: PlayerControls) => void;
  initialMs?: number;
}) {
  let audio!: HTMLAudioElement;
  let waveEl!: HTMLDivElement;
  let ws: WaveSurfer | undefined;
  let raf = 0;
  const [playing, setPlaying] = createSignal(false);
  const [time, setTime] = createSignal(0);
  const [duration, setDuration] = createSignal(0);
  const [rate, setRate] = createSignal(1);
  const [wave, setWave] = createSignal<'loading' | 'ready' | 'failed'>('loading');

  const report = () => {
    setTime(audio.currentTime);
    props.onTime(audio.currentTime * 1000);
  };
  const tick = () => {
    report();
    raf = audio.paused ? 0 : requestAnimationFrame(tick);
  };
  const seek = (ms: number) => {
    const s = Math.max(0, ms / 1000);
    audio.currentTime = duration() > 0 ? Math.min(s, duration()) : s;
    report();
  };
  const toggle = () => {
    if (audio.paused) void audio.play().catch(() => setPlaying(false));
    else audio.pause();
  };
  const step = (seconds: number) => seek((audio.currentTime + seconds) * 1000);

  const onKey = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
    const big = e.shiftKey ? BIG_STEP_S : STEP_S;
    switch (e.key) {
      case ' ':
      case 'k':
        if (e.target instanceof HTMLButtonElement) return; // the button's own activation
        toggle();
        break;
      case 'ArrowRight': step(big); break;
      case 'ArrowLeft': step(-big); break;
      case 'Home': seek(0); break;
      case 'End': seek(duration() * 1000); break;
      default: return;
    }
    e.preventDefault();
  };
  /** Space and arrows also work while nothing in particular has focus (the page body). */
  const onDocumentKey = (e: KeyboardEvent) => {
    if (e.target === document.body && !e.defaultPrevented) onKey(e);
  };

  onMount(() => {
    props.controls?.({ seek, toggle });
    document.addEventListener('keydown', onDocumentKey);
    audio.addEventListener('loadedmetadata', () => {
      if (Number.isFinite(audio.duration)) setDuration(audio.duration);
      if (props.initialMs) seek(props.initialMs);
    });
    audio.addEventListener('durationchange', () => Number.isFinite(audio.duration) && setDuration(audio.duration));
    audio.addEventListener('play', () => { setPlaying(true); if (!raf) raf = requestAnimationFrame(tick); });
    audio.addEventListener('pause', () => { setPlaying(false); report(); });
    audio.addEventListener('seeked', report);
    audio.addEventListener('ended', () => { setPlaying(false); report(); });
    void import('wavesurfer.js').then(({ default: WaveSurferCtor }) => {
      if (!waveEl.isConnected) return;
      const lane = (name: string, fallback: string) => ({ waveColor: css(name, fallback), progressColor: css(`${name}-strong`, fallback), height: 48 });
      ws = WaveSurferCtor.create({
        container: waveEl, media: audio, url: props.src, normalize: true, dragToSeek: true, cursorWidth: 2,
        cursorColor: css('--fg', '#222'), barWidth: 2, barGap: 1,
        splitChannels: [lane('--agent', '#2563eb'), lane('--customer', '#c2410c')],
      });
      ws.on('ready', () => setWave('ready'));
      ws.on('error', () => setWave('failed'));
    }).catch(() => setWave('failed'));
  });
  onCleanup(() => {
    document.removeEventListener('keydown', onDocumentKey);
    cancelAnimationFrame(raf);
    ws?.destroy();
  });

  return (
    <div class="player" role="group" aria-label={t('player.label')} tabindex="0" onKeyDown={onKey} data-testid="player">
      <audio ref={audio} src={props.src} preload="metadata" data-testid="recording" />
      <div class="wave-wrap" dir="ltr">
        <div class="lane-labels" aria-hidden="true">
          <span class="lane agent">{t('speaker.agent')}</span>
          <span class="lane customer">{t('speaker.customer')}</span>
        </div>
        <div class="wave" ref={waveEl} data-testid="waveform" />
      </div>
      <Show when={wave() !== 'ready'}>
        <p class="muted small" aria-live="polite">{wave() === 'loading' ? t('player.loading') : t('player.failed')}</p>
      </Show>
      <div class="player-controls">
        <button type="button" onClick={() => step(-STEP_S)} aria-label={t('player.back', { seconds: STEP_S })}>
          <span aria-hidden="true">«</span>
        </button>
        <button type="button" class="primary play" onClick={toggle} aria-label={playing() ? t('player.pause') : t('player.play')} data-testid="play">
          <span aria-hidden="true">{playing() ? '❚❚' : '▶'}</span>
        </button>
        <button type="button" onClick={() => step(STEP_S)} aria-label={t('player.forward', { seconds: STEP_S })}>
          <span aria-hidden="true">»</span>
        </button>
        <span class="time num" data-testid="player-time">{formatDuration(time() * 1000)} / {formatDuration(duration() * 1000)}</span>
        <label class="position" dir="ltr">
          <span class="visually-hidden">{t('player.position')}</span>
          <input
            type="range" min="0" max={duration() || 0} step="0.1" value={time()}
            aria-valuetext={formatDuration(time() * 1000)}
            onInput={(e) => seek(Number(e.currentTarget.value) * 1000)}
          />
        </label>
        <label class="rate">
          <span>{t('player.rate')}</span>
          <select value={String(rate())} onChange={(e) => { const r = Number(e.currentTarget.value); setRate(r); audio.playbackRate = r; }}>
            <For each={RATES}>{(r) => <option value={String(r)}>{formatNumber(r)}×</option>}</For>
          </select>
        </label>
      </div>
      <p class="hint">{t('player.keys')}</p>
    </div>
  );
}

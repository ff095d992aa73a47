import { createSignal, For, onCleanup, Show } from 'solid-js';
import { t } from '../i18n';
import { createLiveAudio, liveAudioSupported } from '../lib/audio/live-audio';
import type { LiveSocket } from '../lib/live-socket';
import { MONITOR_MODES, type LiveCall, type MonitorMode, type ServerMessage } from '../lib/live-types';

type Mode = MonitorMode | 'off';

/**
 * Listen / Whisper / Barge on one live call. The buttons say which mode is on (aria-pressed) and the indicator
 * says it in words; whisper and barge are disabled with the call's reason when its tap cannot carry them, and the
 * server's refusal is shown when it refuses. Talking needs the microphone and push-to-talk: frames go out only
 * while the talk button is held (pointer, or Space/Enter while it has focus).
 */
export function MonitorControls(props: { socket: LiveSocket; call: LiveCall; ended: boolean }) {
  const audio = createLiveAudio((frame) => props.socket.sendBinary(frame));
  const [mode, setMode] = createSignal<Mode>('off');
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<string>();
  const [stopped, setStopped] = createSignal<string>();
  const supported = liveAudioSupported();

  const offFrames = props.socket.onFrame((d) => audio.frame(d));
  const offMessages = props.socket.onMessage((m: ServerMessage) => {
    if (m.type === 'monitor.stopped' && m.callId === props.call.callId && m.reason !== 'requested') {
      setMode('off');
      audio.stopListening();
      audio.closeMicrophone();
      setStopped(t('live.stopped', { reason: m.reason }));
    }
  });
  onCleanup(() => {
    offFrames();
    offMessages();
    if (mode() !== 'off') void props.socket.request({ type: 'monitor.stop' }).catch(() => undefined);
    audio.close();
  });

  const unavailable = (m: MonitorMode): string | undefined => (m === 'listen' ? undefined : props.call.refusals[m]);

  const choose = async (next: MonitorMode) => {
    if (busy() || next === mode()) return;
    setProblem(undefined);
    setStopped(undefined);
    audio.prime();
    setBusy(true);
    try {
      if (next !== 'listen') {
        const mic = await audio.openMicrophone();
        if (mic !== 'ready') {
          setProblem(t(mic === 'denied' ? 'live.mic.denied' : 'live.mic.unsupported'));
          return;
        }
      }
      const reply = mode() === 'off'
        ? await props.socket.request({ type: 'monitor.start', callId: props.call.callId, mode: next, streams: ['mixed'] })
        : await props.socket.request({ type: 'monitor.update', mode: next });
      if (reply.type === 'monitor.refused') {
        setProblem(t('live.refused', { mode: t(`live.button.${next}`), reason: reply.reason }));
        if (mode() === 'off' || mode() === 'listen') audio.closeMicrophone();
        return;
      }
      if (reply.type === 'error') {
        setProblem(reply.message);
        return;
      }
      if (reply.type === 'monitor.started' || reply.type === 'monitor.updated') {
        setMode(reply.mode);
        const stream = reply.streams[0];
        if (stream && supported) await audio.listen(stream.id);
        if (reply.mode === 'listen') audio.closeMicrophone();
      }
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const stop = async () => {
    audio.setTalking(false);
    try {
      await props.socket.request({ type: 'monitor.stop' });
    } catch {
      // the socket closed: monitoring ended with it
    }
    setMode('off');
    audio.stopListening();
    audio.closeMicrophone();
  };

  const talkKey = (e: KeyboardEvent, on: boolean) => {
    if (e.key !== ' ' && e.key !== 'Enter') return;
    e.preventDefault();
    if (!e.repeat) audio.setTalking(on);
  };
  const talkMode = () => mode() === 'whisper' || mode() === 'barge';

  return (
    <section class="card monitor" aria-labelledby="monitor-title" data-testid="monitor">
      <h2 id="monitor-title">{t('live.monitor')}</h2>
      <p class={`mode-indicator mode-${mode()}`} classList={{ 'on-air': audio.talking() }} role="status" data-testid="monitor-mode" data-mode={mode()}>
        <span class="visually-hidden">{t('live.modeNow')}: </span>
        <span class="mode-dot" aria-hidden="true" />
        {t(`live.mode.${mode()}`)}
        <Show when={talkMode()}>
          {' · '}<strong data-testid="talk-state">{audio.talking() ? t('live.onAir') : t('live.muted')}</strong>
        </Show>
      </p>
      <Show when={!supported}><p class="notice error small">{t('live.audio.unsupported')}</p></Show>
      <div class="mode-buttons" role="group" aria-label={t('live.monitor')}>
        <For each={MONITOR_MODES}>
          {(m) => (
            <button
              type="button" class={`mode-${m}`} aria-pressed={mode() === m} disabled={busy() || props.ended || !!unavailable(m)}
              aria-describedby={unavailable(m) ? `refusal-${m}` : undefined} onClick={() => void choose(m)} data-testid={`mode-${m}`}
            >
              {t(`live.button.${m}`)}
            </button>
          )}
        </For>
        <button type="button" disabled={mode() === 'off'} onClick={() => void stop()} data-testid="mode-stop">{t('live.button.stop')}</button>
      </div>
      <For each={(['whisper', 'barge'] as const).filter((m) => unavailable(m))}>
        {(m) => <p class="hint" id={`refusal-${m}`} data-testid={`refusal-${m}`}>{t(`live.button.${m}`)}: {t('live.unavailable', { reason: unavailable(m) ?? '' })}</p>}
      </For>
      <Show when={talkMode()}>
        <button
          type="button" class="ptt" classList={{ 'on-air': audio.talking() }} aria-pressed={audio.talking()} data-testid="ptt"
          onPointerDown={(e) => { e.currentTarget.setPointerCapture(e.pointerId); audio.setTalking(true); }}
          onPointerUp={() => audio.setTalking(false)} onPointerCancel={() => audio.setTalking(false)}
          onKeyDown={(e) => talkKey(e, true)} onKeyUp={(e) => talkKey(e, false)} onBlur={() => audio.setTalking(false)}
        >
          {t('live.ptt')}
        </button>
        <p class="hint">{t('live.pttHint')}</p>
      </Show>
      <Show when={audio.micState() === 'starting'}><p class="hint">{t('live.mic.starting')}</p></Show>
      <Show when={problem()}>{(p) => <p class="notice error small" role="alert" data-testid="monitor-problem">{p()}</p>}</Show>
      <Show when={stopped()}>{(s) => <p class="notice small">{s()}</p>}</Show>
      <Show when={mode() !== 'off'}>
        <p class="hint num" data-testid="audio-stats" data-received={audio.stats().received} data-played={audio.stats().played} data-sent={audio.sentFrames()}>
          {t('live.audioStats', { ...audio.stats() })}
          <Show when={talkMode()}> · {t('live.sentFrames', { n: audio.sentFrames() })}</Show>
        </p>
      </Show>
    </section>
  );
}

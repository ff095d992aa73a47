import { createSignal } from 'solid-js';
import workletUrl from './live-audio.worklet.ts?worker&url';
import { buildFrame, MICROPHONE_STREAM, parseFrame } from './frame-header';

const RATE = 48000;
const FRAME_MS = 20;

export interface ListenStats {
  received: number;
  played: number;
  concealed: number;
  late: number;
  buffered: number;
}

export type MicState = 'off' | 'starting' | 'ready' | 'denied' | 'unsupported';

/** Whether this browser can listen and talk (WebCodecs Opus and AudioWorklet). */
export function liveAudioSupported(): boolean {
  return typeof AudioDecoder !== 'undefined' && typeof AudioEncoder !== 'undefined' && typeof AudioWorkletNode !== 'undefined';
}

/**
 * Listen and talk on a monitored call. Listening: Opus frames from the server are decoded with WebCodecs
 * (`AudioDecoder`, 48 kHz) and handed by `seq` to the `jitter-buffer` worklet. Talking: the microphone
 * (`getUserMedia`) is cut into 20 ms blocks by the `mic-capture` worklet, encoded with `AudioEncoder` ('opus',
 * 48 kHz mono, 20 ms frames) and sent as microphone frames (stream 16) while push-to-talk is held.
 */
export function createLiveAudio(send: (frame: ArrayBuffer) => void) {
  const [stats, setStats] = createSignal<ListenStats>({ received: 0, played: 0, concealed: 0, late: 0, buffered: 0 });
  const [micState, setMicState] = createSignal<MicState>('off');
  const [talking, setTalkingSignal] = createSignal(false);
  const [sentFrames, setSentFrames] = createSignal(0);
  let ctx: AudioContext | undefined;
  let ready: Promise<AudioContext> | undefined;
  let jitter: AudioWorkletNode | undefined;
  let decoder: AudioDecoder | undefined;
  let encoder: AudioEncoder | undefined;
  let mic: MediaStream | undefined;
  let micNode: AudioWorkletNode | undefined;
  let micSource: MediaStreamAudioSourceNode | undefined;
  let listenStream: number | undefined;
  let micSeq = 0;
  let micTimestampMs = 0;
  let received = 0;

  const context = (): Promise<AudioContext> => {
    ready ??= (async () => {
      const c = new AudioContext({ sampleRate: RATE, latencyHint: 'interactive' });
      ctx = c;
      await c.audioWorklet.addModule(workletUrl);
      return c;
    })();
    return ready;
  };

  const toContextRate = (data: AudioData, rate: number): Float32Array => {
    const pcm = new Float32Array(data.numberOfFrames);
    data.copyTo(pcm, { planeIndex: 0, format: 'f32-planar' });
    if (data.sampleRate === rate) return pcm;
    const out = new Float32Array(Math.round((pcm.length * rate) / data.sampleRate));
    const step = data.sampleRate / rate;
    for (let i = 0; i < out.length; i++) {
      const x = i * step;
      const j = Math.floor(x);
      const f = x - j;
      out[i] = (pcm[j] ?? 0) * (1 - f) + (pcm[j + 1] ?? pcm[j] ?? 0) * f;
    }
    return out;
  };

  return {
    stats,
    micState,
    talking,
    sentFrames,

    /** Creates the audio context inside the user's gesture (before any awaited request). */
    prime(): void {
      void context().then((c) => c.resume()).catch(() => undefined);
    },

    /** Starts playing frames of `streamId` (call from a user gesture: browsers start audio only then). */
    async listen(streamId: number): Promise<void> {
      const c = await context();
      await c.resume();
      listenStream = streamId;
      if (!jitter) {
        jitter = new AudioWorkletNode(c, 'jitter-buffer', { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
        jitter.port.onmessage = (e: MessageEvent<Omit<ListenStats, 'received'>>) => setStats({ ...e.data, received });
        jitter.connect(c.destination);
      }
      jitter.port.postMessage({ type: 'reset' });
      if (!decoder || decoder.state === 'closed') {
        decoder = new AudioDecoder({
          output: (data) => {
            const seq = Math.round(data.timestamp / 1000 / FRAME_MS);
            const pcm = toContextRate(data, c.sampleRate);
            data.close();
            jitter?.port.postMessage({ type: 'frame', seq, pcm }, [pcm.buffer]);
          },
          error: () => { decoder = undefined; },
        });
        decoder.configure({ codec: 'opus', sampleRate: RATE, numberOfChannels: 1 });
      }
    },

    /** A binary message from the socket. */
    frame(data: ArrayBuffer): void {
      const f = parseFrame(data);
      if (!f || f.stream !== listenStream || decoder?.state !== 'configured') return;
      received++;
      decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: f.timestampMs * 1000, duration: FRAME_MS * 1000, data: f.payload }));
    },

    stopListening(): void {
      listenStream = undefined;
      jitter?.port.postMessage({ type: 'reset' });
    },

    /** Asks for the microphone and prepares the encoder; frames are sent only while `setTalking(true)`. */
    async openMicrophone(): Promise<MicState> {
      if (mic) return micState();
      if (!navigator.mediaDevices?.getUserMedia || typeof AudioEncoder === 'undefined') {
        setMicState('unsupported');
        return 'unsupported';
      }
      setMicState('starting');
      try {
        mic = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
      } catch {
        setMicState('denied');
        return 'denied';
      }
      const c = await context();
      await c.resume();
      encoder = new AudioEncoder({
        output: (chunk) => {
          const payload = new Uint8Array(chunk.byteLength);
          chunk.copyTo(payload);
          send(buildFrame({ stream: MICROPHONE_STREAM, seq: micSeq++, timestampMs: micTimestampMs }, payload));
          micTimestampMs += FRAME_MS;
          setSentFrames((n) => n + 1);
        },
        error: () => setMicState('unsupported'),
      });
      encoder.configure({ codec: 'opus', sampleRate: c.sampleRate, numberOfChannels: 1, bitrate: 32000, opus: { frameDuration: FRAME_MS * 1000 } } as AudioEncoderConfig);
      micSource = c.createMediaStreamSource(mic);
      micNode = new AudioWorkletNode(c, 'mic-capture', { numberOfInputs: 1, numberOfOutputs: 0, processorOptions: { blockSize: (c.sampleRate * FRAME_MS) / 1000 } });
      let captured = 0;
      micNode.port.onmessage = (e: MessageEvent<Float32Array<ArrayBuffer>>) => {
        const block = e.data;
        const timestamp = (captured * 1e6) / c.sampleRate;
        captured += block.length;
        if (!talking() || encoder?.state !== 'configured') return;
        encoder.encode(new AudioData({ format: 'f32-planar', sampleRate: c.sampleRate, numberOfChannels: 1, numberOfFrames: block.length, timestamp, data: block }));
      };
      micSource.connect(micNode);
      setMicState('ready');
      return 'ready';
    },

    setTalking(on: boolean): void {
      setTalkingSignal(on && micState() === 'ready');
    },

    closeMicrophone(): void {
      setTalkingSignal(false);
      micSource?.disconnect();
      micNode?.disconnect();
      if (encoder && encoder.state !== 'closed') encoder.close();
      for (const track of mic?.getTracks() ?? []) track.stop();
      mic = undefined;
      micNode = undefined;
      micSource = undefined;
      encoder = undefined;
      setMicState('off');
    },

    close(): void {
      this.closeMicrophone();
      if (decoder && decoder.state !== 'closed') decoder.close();
      decoder = undefined;
      jitter?.disconnect();
      jitter = undefined;
      void ctx?.close();
      ctx = undefined;
      ready = undefined;
    },
  };
}

export type LiveAudio = ReturnType<typeof createLiveAudio>;

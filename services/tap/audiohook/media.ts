import { decodeMuLaw, deinterleaveStereo } from '../../audio/index.js';
import type { Channel } from '../../calls/index.js';
import type { MediaOffer } from './messages.js';

/** Genesys channel names: `external` is the customer (ANI) side, `internal` the agent (or IVR). */
const PARTY: Record<string, Channel | undefined> = { external: 'customer', internal: 'agent' };

export interface SelectedMedia {
  /** The offer exactly as received (it goes back unchanged in `opened`). */
  offer: MediaOffer;
  /** The party of each interleaved channel, in the offer's order. */
  parties: Channel[];
}

const isPcmu8k = (o: MediaOffer) => o.format === 'PCMU' && o.rate === 8000;

/**
 * Picks one offered media entry: stereo PCMU/8000 with external and internal in either order, else the first mono
 * PCMU/8000 offer for one of them (the client's order of preference). Undefined when nothing usable is offered.
 */
export function selectMedia(offers: readonly MediaOffer[]): SelectedMedia | undefined {
  const stereo = offers.find((o) => isPcmu8k(o) && o.channels.length === 2
    && o.channels.includes('external') && o.channels.includes('internal'));
  const chosen = stereo ?? offers.find((o) => isPcmu8k(o) && o.channels.length === 1 && PARTY[o.channels[0]] !== undefined);
  return chosen ? { offer: chosen, parties: chosen.channels.map((c) => PARTY[c]!) } : undefined;
}

/** Decodes one binary frame (headerless PCMU, interleaved in the selected channel order) into per-channel PCM. */
export function splitFrame(bytes: Uint8Array, channels: number): Int16Array[] {
  const pcm = decodeMuLaw(bytes);
  if (channels === 1) return [pcm];
  const { left, right } = deinterleaveStereo(pcm);
  return [left, right];
}

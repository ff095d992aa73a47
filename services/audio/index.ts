export { encodeMuLaw, decodeMuLaw, encodeALaw, decodeALaw } from './g711.js';
export { encodeL16, decodeL16, type Endianness } from './l16.js';
export { createOpusEncoder, createOpusDecoder, type OpusEncoder, type OpusDecoder, type OpusRate } from './opus.js';
export { createResampler, resample, type Resampler } from './resampler.js';
export { mixInto, mixMono, interleaveStereo, deinterleaveStereo } from './mix.js';
export {
  wavHeader, parseWav, readWavSamples, WAV_HEADER_BYTES, WAV_MAX_DATA_BYTES,
  type WavFormat, type ParsedWav, type ParseWavOptions, type WavSamples,
} from './wav.js';
export { resolveFfmpeg, type ResolvedFfmpeg, type FfmpegSource } from './ffmpeg.js';
export { goertzel, toneDb, rms, sine, type GoertzelOptions } from './goertzel.js';

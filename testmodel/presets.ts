/** Model sizes for the generated test model. */
import type { MarianDims } from './weights.js';

export type PresetName = 'tiny' | 'full';
export const PRESET_NAMES: readonly PresetName[] = ['tiny', 'full'];

export const PRESETS: Readonly<Record<PresetName, MarianDims>> = {
  // Small enough that transformers.js generates a sentence in milliseconds; still 2 layers each side
  // and 2 heads so that caching, masking and head splitting are all exercised.
  tiny: {
    dModel: 16,
    encoderLayers: 2,
    decoderLayers: 2,
    encoderHeads: 2,
    decoderHeads: 2,
    encoderFfn: 32,
    decoderFfn: 32,
    vocabSize: 512,
    maxPositions: 512,
  },
  // Helsinki-NLP/opus-mt-id-en dimensions, for realistic speed and memory measurements.
  full: {
    dModel: 512,
    encoderLayers: 6,
    decoderLayers: 6,
    encoderHeads: 8,
    decoderHeads: 8,
    encoderFfn: 2048,
    decoderFfn: 2048,
    vocabSize: 54_796,
    maxPositions: 512,
  },
};

export function isPresetName(s: string): s is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(s);
}

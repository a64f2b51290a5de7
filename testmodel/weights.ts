/**
 * Seeded random Marian weights. One PRNG stream, drawn in a fixed order, so a seed fully determines
 * every tensor (and therefore every byte of the written files).
 */
import type { Linear, Matrix } from './graph-builder.js';
import { Rng } from './seeded-random.js';

export interface MarianDims {
  readonly dModel: number;
  readonly encoderLayers: number;
  readonly decoderLayers: number;
  readonly encoderHeads: number;
  readonly decoderHeads: number;
  readonly encoderFfn: number;
  readonly decoderFfn: number;
  readonly vocabSize: number;
  readonly maxPositions: number;
}

export interface AttentionWeights {
  readonly q: Linear;
  readonly k: Linear;
  readonly v: Linear;
  readonly o: Linear;
}

export interface LayerNormWeights {
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
}

export interface EncoderLayerWeights {
  readonly selfAttn: AttentionWeights;
  readonly selfAttnNorm: LayerNormWeights;
  readonly fc1: Linear;
  readonly fc2: Linear;
  readonly finalNorm: LayerNormWeights;
}

export interface DecoderLayerWeights extends EncoderLayerWeights {
  readonly crossAttn: AttentionWeights;
  readonly crossAttnNorm: LayerNormWeights;
}

export interface MarianWeights {
  readonly dims: MarianDims;
  /** Shared token embedding [vocab, d_model]; also the tied output projection. */
  readonly embed: Matrix;
  /** Static sinusoidal table [max_positions, d_model]. */
  readonly positions: Matrix;
  readonly encoder: readonly EncoderLayerWeights[];
  readonly decoder: readonly DecoderLayerWeights[];
  readonly finalLogitsBias: Float32Array;
}

/** Marian's static table: sin of each frequency in the first half of the row, cos in the second. */
export function sinusoidalPositions(maxPositions: number, dModel: number): Matrix {
  const data = new Float32Array(maxPositions * dModel);
  const half = Math.ceil(dModel / 2);
  for (let pos = 0; pos < maxPositions; pos++) {
    for (let j = 0; j < dModel; j++) {
      const angle = pos / Math.pow(10000, (2 * Math.floor(j / 2)) / dModel);
      // Even columns of the angle table feed sin (first half), odd columns feed cos (second half).
      if (j % 2 === 0) data[pos * dModel + j / 2] = Math.sin(angle);
      else data[pos * dModel + half + (j - 1) / 2] = Math.cos(angle);
    }
  }
  return { data, rows: maxPositions, cols: dModel };
}

function matrix(rng: Rng, rows: number, cols: number, std: number): Matrix {
  return { data: rng.fillNormal(new Float32Array(rows * cols), std), rows, cols };
}

/**
 * Query/key projections 3x Xavier: sharper attention, so heads pick out positions instead of
 * averaging everything (averaged random values make every state alike and the output one token).
 */
const QK_GAIN = 3;

function linear(rng: Rng, inDim: number, outDim: number, gain = 1): Linear {
  // Xavier-like scale keeps each sublayer's output comparable to the residual it is added to, so
  // every layer (and the source sentence, through cross-attention) visibly shapes the logits.
  return { weight: matrix(rng, inDim, outDim, gain / Math.sqrt(inDim)), bias: rng.fillNormal(new Float32Array(outDim), 0.02) };
}

/** Removes each output column's mean over the input rows: swish outputs have a positive mean, and
 * without this every FFN adds the same fixed vector, collapsing all states onto a few tokens. */
function centered(lin: Linear): Linear {
  const { data, rows, cols } = lin.weight;
  for (let c = 0; c < cols; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += data[r * cols + c] as number;
    const mean = sum / rows;
    for (let r = 0; r < rows; r++) data[r * cols + c] = (data[r * cols + c] as number) - mean;
  }
  return lin;
}

function attention(rng: Rng, d: number): AttentionWeights {
  return { q: linear(rng, d, d, QK_GAIN), k: linear(rng, d, d, QK_GAIN), v: linear(rng, d, d), o: linear(rng, d, d) };
}

function layerNorm(rng: Rng, d: number): LayerNormWeights {
  return { gamma: rng.fillNormal(new Float32Array(d), 0.05, 1), beta: rng.fillNormal(new Float32Array(d), 0.02) };
}

export function generateWeights(dims: MarianDims, seed: number, eosId: number, padId: number): MarianWeights {
  const rng = new Rng(seed);
  const d = dims.dModel;
  // Rows of unit-ish norm once multiplied by sqrt(d_model): tokens then weigh as much as positions.
  const embed = matrix(rng, dims.vocabSize, d, 1 / Math.sqrt(d));
  embed.data.fill(0, padId * d, (padId + 1) * d); // Marian's padding_idx row is zero
  const encoder: EncoderLayerWeights[] = [];
  for (let l = 0; l < dims.encoderLayers; l++) {
    encoder.push({
      selfAttn: attention(rng, d),
      selfAttnNorm: layerNorm(rng, d),
      fc1: linear(rng, d, dims.encoderFfn),
      fc2: centered(linear(rng, dims.encoderFfn, d)),
      finalNorm: layerNorm(rng, d),
    });
  }
  const decoder: DecoderLayerWeights[] = [];
  for (let l = 0; l < dims.decoderLayers; l++) {
    decoder.push({
      selfAttn: attention(rng, d),
      selfAttnNorm: layerNorm(rng, d),
      crossAttn: attention(rng, d),
      crossAttnNorm: layerNorm(rng, d),
      fc1: linear(rng, d, dims.decoderFfn),
      fc2: centered(linear(rng, dims.decoderFfn, d)),
      finalNorm: layerNorm(rng, d),
    });
  }
  const finalLogitsBias = rng.fillNormal(new Float32Array(dims.vocabSize), 0.1);
  // Random logits over V tokens peak near sqrt(2 ln V); an eos bias a little below that peak makes
  // some outputs end on their own after a few to a few dozen tokens while others run on, loop, and
  // hit max_length, as untrained-looking real models do.
  finalLogitsBias[eosId] = Math.sqrt(2 * Math.log(dims.vocabSize)) - 1.8;
  return { dims, embed, positions: sinusoidalPositions(dims.maxPositions, d), encoder, decoder, finalLogitsBias };
}

/** Transposed copy [cols, rows]: the output projection is stored separately, as in the real export. */
export function transpose(m: Matrix): Matrix {
  const out = new Float32Array(m.data.length);
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) out[c * m.rows + r] = m.data[r * m.cols + c] as number;
  }
  return { data: out, rows: m.cols, cols: m.rows };
}

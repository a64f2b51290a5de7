/** Shared helpers for the generated-test-model tests: temp folders and direct ONNX Runtime runs. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `dwibahasa-${prefix}-`));
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

export interface ModelConfig {
  readonly d_model: number;
  readonly decoder_layers: number;
  readonly decoder_attention_heads: number;
  readonly vocab_size: number;
  readonly pad_token_id: number;
}

export async function readConfig(dir: string): Promise<ModelConfig> {
  return JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as ModelConfig;
}

export function int64(rows: readonly (readonly number[])[]): ort.Tensor {
  const cols = rows[0]?.length ?? 0;
  return new ort.Tensor('int64', BigInt64Array.from(rows.flat().map((v) => BigInt(v))), [rows.length, cols]);
}

export function emptyKv(batch: number, heads: number, headDim: number): ort.Tensor {
  return new ort.Tensor('float32', new Float32Array(0), [batch, heads, 0, headDim]);
}

export interface DecoderStep {
  readonly logits: ort.Tensor;
  readonly presents: Record<string, ort.Tensor>;
}

/**
 * One decoder run; `past` undefined means first step (empty cache, use_cache_branch false). The
 * presents returned are the next step's cache.
 */
export async function runDecoder(
  session: ort.InferenceSession,
  cfg: ModelConfig,
  encoderMask: ort.Tensor,
  encoderHidden: ort.Tensor,
  inputIds: ort.Tensor,
  past: Record<string, ort.Tensor> | undefined,
): Promise<DecoderStep> {
  const batch = inputIds.dims[0] as number;
  const heads = cfg.decoder_attention_heads;
  const headDim = cfg.d_model / heads;
  const feeds: Record<string, ort.Tensor> = {
    encoder_attention_mask: encoderMask,
    input_ids: inputIds,
    encoder_hidden_states: encoderHidden,
    use_cache_branch: new ort.Tensor('bool', Uint8Array.of(past ? 1 : 0), [1]),
  };
  for (let i = 0; i < cfg.decoder_layers; i++) {
    for (const kind of ['decoder', 'encoder']) {
      for (const kv of ['key', 'value']) {
        const name = `past_key_values.${i}.${kind}.${kv}`;
        feeds[name] = past?.[`present.${i}.${kind}.${kv}`] ?? emptyKv(batch, heads, headDim);
      }
    }
  }
  const out = await session.run(feeds);
  const { logits, ...rest } = out;
  if (!logits) throw new Error('decoder returned no logits');
  const presents: Record<string, ort.Tensor> = { ...rest };
  // A cached step returns empty cross-attention presents (as optimum's merged decoder does): the
  // first step's stay in use, as transformers.js keeps them.
  if (past) for (const name of Object.keys(presents)) if (name.includes('.encoder.')) presents[name] = past[name]!;
  return { logits, presents };
}

/** logits[b, t, :] as a plain array. */
export function logitsRow(logits: ort.Tensor, b: number, t: number): Float32Array {
  const [, T, V] = logits.dims as [number, number, number];
  const data = logits.data as Float32Array;
  return data.slice((b * T + t) * V, (b * T + t + 1) * V);
}

export function pearson(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

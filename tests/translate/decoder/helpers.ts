/** Shared set-up for the decoder tests: generated tiny models and requests built as marian-engine builds them. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModelForSeq2SeqLM, AutoTokenizer, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { generateTestModel, type GenerateTestModelOptions } from '../../../testmodel/generate.js';
import { prepareFusedDecoder } from '../../../src/model/fused-decoder.js';
import { Rng } from '../../../testmodel/seeded-random.js';
import { paddedBatch } from '../../../src/translate/decoder/tensors.js';
import type { DecodeRequest } from '../../../src/translate/decoder/types.js';

export interface LoadedModel {
  readonly dir: string;
  readonly model: PreTrainedModel;
  readonly tokenizer: PreTrainedTokenizer;
  dispose(): Promise<void>;
}

/** Generates a model into a fresh temporary folder and loads it with transformers.js. */
export async function loadTestModel(
  options: Omit<GenerateTestModelOptions, 'outDir' | 'dtype'>,
  dtype: 'fp32' | 'q8',
): Promise<LoadedModel> {
  const dir = mkdtempSync(join(tmpdir(), 'dwibahasa-decoder-'));
  await generateTestModel({ ...options, outDir: dir, dtype });
  const model = await AutoModelForSeq2SeqLM.from_pretrained(dir, {
    dtype,
    device: 'cpu',
    local_files_only: true,
    session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 },
  });
  const tokenizer = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
  return {
    dir,
    model,
    tokenizer,
    async dispose() {
      await model.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The same model (or the folder `source` derived from it) with the search's selection appended to
 * its decoder: a prepared folder under the model's temporary folder, removed with it by `m.dispose()`.
 */
export async function loadFused(m: LoadedModel, dtype: 'fp32' | 'q8', source = m.dir): Promise<LoadedModel> {
  const prepared = await prepareFusedDecoder(source, dtype, join(m.dir, '.cache'));
  const model = await AutoModelForSeq2SeqLM.from_pretrained(prepared.dir, {
    dtype,
    device: 'cpu',
    local_files_only: true,
    session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 },
  });
  return {
    dir: prepared.dir,
    model,
    tokenizer: m.tokenizer,
    async dispose() {
      await model.dispose();
    },
  };
}

export interface RequestOptions {
  readonly decoder?: 'own' | 'generate';
  readonly beams?: number;
  readonly lengthPenalty?: number;
  readonly earlyStopping?: boolean;
  readonly repetitionPenalty?: number;
  readonly noRepeatNgramSize?: number;
  /** Per row, or a function of the row's input length; default 2 × length + 10 (the engine's default). */
  readonly maxNewTokens?: number | ((inputLength: number) => number);
}

/** Right-padded int64 batch, as the engine's ModelRunner builds it. */
export function makeRequest(model: PreTrainedModel, ids: readonly (readonly number[])[], o: RequestOptions = {}): DecodeRequest {
  const pad = (model.config as unknown as { pad_token_id: number }).pad_token_id;
  const lengths = ids.map((row) => row.length);
  const batch = paddedBatch(ids, pad);
  const max = o.maxNewTokens ?? ((n: number) => 2 * n + 10);
  return {
    model,
    decoder: o.decoder ?? 'own',
    beams: o.beams ?? 1,
    lengthPenalty: o.lengthPenalty ?? 1,
    earlyStopping: o.earlyStopping ?? true,
    inputIds: batch.ids,
    attentionMask: batch.mask,
    lengths,
    maxNewTokens: lengths.map((n) => (typeof max === 'number' ? max : max(n))),
    options: { repetitionPenalty: o.repetitionPenalty ?? 1, noRepeatNgramSize: o.noRepeatNgramSize ?? 0 },
  };
}

export function encodeAll(tokenizer: PreTrainedTokenizer, sentences: readonly string[]): number[][] {
  return sentences.map((s) => tokenizer.encode(s));
}

/** Indonesian sentences of mixed lengths (3 to ~40 tokens). */
export const SENTENCES: readonly string[] = [
  'Selamat pagi.',
  'Pemerintah Indonesia akan membangun sekolah baru di desa itu tahun depan.',
  'Harga beras naik lagi.',
  'Menurut data Badan Pusat Statistik, jumlah penduduk miskin di Jakarta turun sebesar dua persen dibandingkan tahun lalu, namun para ahli ekonomi mengingatkan bahwa inflasi masih menjadi ancaman.',
  'Dia tidak datang.',
  'Presiden mengatakan bahwa pemilihan umum akan berlangsung dengan aman dan damai.',
  'Ya.',
  'Banjir besar melanda kota itu setelah hujan deras selama tiga hari berturut-turut.',
  'Siswa harus menyimpan berkas di folder yang benar sebelum menekan tombol kirim.',
  'Rumah sakit itu kekurangan dokter dan perawat, sehingga banyak pasien harus menunggu lama.',
  'Apakah Anda sudah makan?',
  'Kami akan kembali ke Jakarta minggu depan untuk menghadiri rapat dengan menteri.',
];

/** Deterministic pseudo-random token rows (ids 1 .. vocab-2, never eos or pad), each ending with eos. */
export function randomRows(count: number, minLen: number, maxLen: number, vocab: number, seed: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const len = minLen + rng.below(maxLen - minLen + 1);
    const row = Array.from({ length: len - 1 }, () => 1 + rng.below(vocab - 2));
    row.push(0);
    return row;
  });
}

/** The logits processors' settings every decoder equivalence test runs under. */
export const PROCESSOR_SETTINGS = [
  { repetitionPenalty: 1, noRepeatNgramSize: 0 },
  { repetitionPenalty: 1.3, noRepeatNgramSize: 0 },
  { repetitionPenalty: 1, noRepeatNgramSize: 3 },
  { repetitionPenalty: 1.3, noRepeatNgramSize: 3 },
] as const;

export const processorLabel = (s: (typeof PROCESSOR_SETTINGS)[number]): string =>
  `repetition ${s.repetitionPenalty}, no-repeat ${s.noRepeatNgramSize}`;

/** Generated tiny Marian models for tests, written once per test file into a temp folder. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTestModel, type GenerateTestModelOptions } from '../../testmodel/generate.js';

export async function makeTinyModel(options: Partial<GenerateTestModelOptions> = {}): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'dwb-model-'));
  const dir = join(root, 'tiny');
  await generateTestModel({ preset: 'tiny', outDir: dir, dtype: 'both', seed: 0, ...options });
  return dir;
}

/** Indonesian sentences of mixed lengths (from the samples and the news article). */
export const SENTENCES: readonly string[] = [
  'Halo.',
  'Pemerintah Indonesia akan membangun jalan baru di Jawa Barat.',
  'Menteri Luar Negeri Rusia bertemu dengan pejabat Amerika Serikat pada 10 Januari di Jenewa.',
  'Debian adalah sistem operasi bebas.',
  'Ruang disk Anda hampir penuh.',
  'Klik tombol Ubah Kata Sandi, lalu masukkan kata sandi baru Anda dua kali.',
  'Pada tahun 2021 inflasi naik menjadi 3,5 persen.',
  'Ya.',
  'Perusahaan Falcot Corp menggunakan Debian di semua komputer kantor dan server mereka sejak beberapa tahun lalu.',
  'Baca juga:',
];

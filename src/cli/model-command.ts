/** `dwibahasa model fetch|info`: get the model onto disk and see what is there. */
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { fetchModel, reportFetchProgress, resolveEndpoint } from '../model/fetch.js';
import { resolveModelDir } from '../model/files.js';
import { formatModelInfo, modelInfo } from '../model/info.js';
import { createProgress, formatBytes } from '../progress.js';
import type { Dtype } from '../types.js';
import { parse } from './args.js';

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  dtype: { type: 'string' },
  revision: { type: 'string' },
} as const;

export async function modelCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, OPTIONS, `model ${sub ?? ''}`.trim());
  const { config, baseDir } = loadConfig(values.config);
  const modelsRoot = path.resolve(baseDir, config.model.dir);
  switch (sub) {
    case 'fetch': {
      const id = positionals[0] ?? config.model.id;
      const dtype = values.dtype ?? config.model.dtype;
      if (dtype !== 'q8' && dtype !== 'fp32' && dtype !== 'both') {
        throw new UsageError(`model fetch: --dtype must be q8, fp32 or both, got "${dtype}"`);
      }
      const endpoint = resolveEndpoint(config.model.endpoint || undefined);
      const destDir = path.resolve(baseDir, resolveModelDir(modelsRoot, id));
      const isTTY = Boolean(process.stderr.isTTY);
      const bar = createProgress({ stream: process.stderr, isTTY });
      process.stderr.write(`Fetching ${id} (${dtype}) from ${endpoint} into ${destDir}\n`);
      const result = await fetchModel({
        modelId: id,
        destDir,
        dtype: dtype as Dtype | 'both',
        endpoint,
        ...(values.revision ? { revision: values.revision } : {}),
        onProgress: reportFetchProgress(bar),
      });
      process.stderr.write(`Done: ${result.files.length} files in ${result.dir} (${formatBytes(result.bytesDownloaded)} downloaded)\n`);
      return 0;
    }
    case 'info': {
      const models = await modelInfo(modelsRoot);
      process.stdout.write(formatModelInfo(models, path.relative(process.cwd(), modelsRoot) || '.') + '\n');
      return 0;
    }
    default:
      throw new UsageError(`model: expected "fetch" or "info", got ${sub === undefined ? 'nothing' : `"${sub}"`}`);
  }
}

/**
 * The sentence guard: checks each translated sentence and, before flagging it, tries to recover —
 * first by decoding again with a repetition penalty, then clause by clause — keeping the best
 * attempt. Numbers the model copied in their Indonesian form are then written the English way.
 */
import type { Config } from '../config/schema.js';
import { storageErrorOf } from '../errors.js';
import type { TranslateOptions, TranslationEngine } from '../translate/engine.js';
import type { SegmentFlag } from '../types.js';
import { checkOptionsFrom, checkTranslation, type CheckOptions } from './checks.js';
import { joinClauses, splitClauses } from './clause-recovery.js';
import { fixNumbers } from './numbers.js';

export interface GuardContext {
  /** The sentence. */
  readonly source: string;
  /** Its first translation (assembled, frozen spans in place). */
  readonly target: string;
  /** Re-translate the sentence's translatable parts with other decoding options; returns the assembled target. */
  retranslate(options: TranslateOptions): Promise<string>;
  /** Translate sub-texts of the sentence (clauses) as one batch; frozen spans are handled by the caller. */
  translateClauses(clauses: readonly string[]): Promise<string[]>;
}

/** Which recovery produced the kept target; absent when the first translation was kept. */
export type RecoveryStep = 'decode' | 'clauses';

export interface GuardResult {
  readonly target: string;
  readonly flags: SegmentFlag[];
  readonly recovery?: RecoveryStep;
}

export type SentenceGuard = (ctx: GuardContext) => Promise<GuardResult>;

/** Decoding for the first recovery step: these break most loops without hurting normal text. */
export const RETRY_OPTIONS: TranslateOptions = { repetitionPenalty: 1.3, noRepeatNgramSize: 3 };

/** How bad each flag is when choosing between attempts: a loop or lost text is worse than length. */
export const FLAG_SEVERITY: Readonly<Record<SegmentFlag, number>> = {
  repetition: 4,
  'too-short': 3,
  'lost-span': 3,
  untranslated: 2,
  'too-long': 1,
  'markup-moved': 1,
};

interface Attempt {
  readonly target: string;
  readonly flags: SegmentFlag[];
  readonly recovery?: RecoveryStep;
}

/**
 * A guard for the pipeline. `engine` is only asked to count tokens (to split into clauses):
 * translation goes through the context, which knows the sentence's frozen parts.
 */
export function createGuard(config: Config, engine: TranslationEngine): SentenceGuard {
  const countTokens = (s: string): number => engine.countTokens(s);
  const opts = checkOptionsFrom(config);
  // The schema key guards.retry (default true) turns recovery off while keeping the checks.
  const retry = (config.guards as { retry?: boolean }).retry ?? true;
  // Decoding again with the settings every segment already used would only repeat the output.
  const decodeAgain = !(config.decoding.repetition_penalty >= (RETRY_OPTIONS.repetitionPenalty ?? 1) &&
    config.decoding.no_repeat_ngram_size > 0 && config.decoding.no_repeat_ngram_size <= (RETRY_OPTIONS.noRepeatNgramSize ?? 0));

  return async (ctx) => {
    const first: Attempt = { target: ctx.target, flags: checkTranslation(ctx.source, ctx.target, opts) };
    const attempts: Attempt[] = [first];
    if (retry && first.flags.length > 0) await recover(ctx, opts, { decodeAgain, countTokens }, attempts);
    const best = pickBest(attempts);
    return {
      target: fixNumbers(ctx.source, best.target),
      flags: best.flags,
      ...(best.recovery ? { recovery: best.recovery } : {}),
    };
  };
}

interface RecoverySettings {
  readonly decodeAgain: boolean;
  readonly countTokens: (s: string) => number;
}

/** Runs the recovery steps in order, stopping at the first clean attempt. */
async function recover(ctx: GuardContext, opts: CheckOptions, settings: RecoverySettings, attempts: Attempt[]): Promise<void> {
  if (settings.decodeAgain) {
    const target = await attempt(() => ctx.retranslate(RETRY_OPTIONS));
    if (target !== null) {
      const a: Attempt = { target, flags: checkTranslation(ctx.source, target, opts), recovery: 'decode' };
      attempts.push(a);
      if (a.flags.length === 0) return;
    }
  }
  const split = await attempt(async () => splitClauses(ctx.source, settings.countTokens));
  if (split === null || split.clauses.length < 2) return;
  const translated = await attempt(() => ctx.translateClauses(split.clauses));
  if (translated === null || translated.length !== split.clauses.length) return;
  const target = joinClauses(split, translated);
  attempts.push({ target, flags: checkTranslation(ctx.source, target, opts), recovery: 'clauses' });
}

/**
 * A recovery attempt that throws (engine failure, input too long) is just a failed attempt: the
 * sentence keeps its first translation and its flags. A storage failure (the memory cannot be read
 * or written) is not: it fails the file, so that a degraded result is never reported done or kept.
 */
async function attempt<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (err) {
    if (storageErrorOf(err) !== undefined) throw err;
    return null;
  }
}

/** Fewest and least severe flags; ties go to the earlier attempt. */
function pickBest(attempts: readonly Attempt[]): Attempt {
  let best = attempts[0]!;
  let bestScore = score(best.flags);
  for (const a of attempts.slice(1)) {
    const s = score(a.flags);
    if (s < bestScore) {
      best = a;
      bestScore = s;
    }
  }
  return best;
}

function score(flags: readonly SegmentFlag[]): number {
  return flags.reduce((sum, f) => sum + FLAG_SEVERITY[f], 0);
}

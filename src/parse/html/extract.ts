/**
 * Which elements of a page hold its article, as chosen by @mozilla/readability (Firefox's Reader
 * View) over a linkedom DOM. Readability rewrites the DOM it reads, so each element's parse5 id is
 * written into its start tag first (`data-dwb-id`); the ids found in Readability's result say
 * which original elements it kept, whatever it did to the tree around them.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { PageTree } from './tree.js';

const ID_ATTR = 'data-dwb-id';

export interface Article {
  /** Ids (parse5 element indices) of the elements Readability kept. */
  readonly kept: ReadonlySet<number>;
  readonly title: string;
  readonly byline: string | undefined;
}

/** Readability's pick, or undefined when it finds nothing that reads as an article. */
export function findArticle(text: string, tree: PageTree): Article | undefined {
  const { document } = parseHTML(annotate(text, tree));
  const result = new Readability(document as unknown as Document).parse();
  if (result === null || typeof result.content !== 'string') return undefined;
  const kept = new Set<number>();
  for (const m of result.content.matchAll(/data-dwb-id="(\d+)"/g)) kept.add(Number(m[1]));
  return { kept, title: result.title ?? '', byline: result.byline ?? undefined };
}

/** The page with ` data-dwb-id="N"` inserted after the name in every start tag. */
function annotate(text: string, tree: PageTree): string {
  let out = '';
  let pos = 0;
  tree.elements.forEach((el, id) => {
    const start = el.sourceCodeLocation!.startTag!.startOffset;
    const at = start + 1 + el.tagName.length;
    // Only where the tag name really ends there (parse5 may have changed a name's case, never its length).
    if (at > text.length || !/^[\s/>]/.test(text.slice(at, at + 1)) || at < pos) return;
    out += text.slice(pos, at) + ` ${ID_ATTR}="${id}"`;
    pos = at;
  });
  return out + text.slice(pos);
}

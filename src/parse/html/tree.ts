/**
 * The page as parse5 (the WHATWG HTML parser) reads it, with source offsets: every element that
 * has a start tag in the source gets an index, so that another DOM built from the same text (the
 * one @mozilla/readability runs on) can point back at it.
 */
import { parse, type DefaultTreeAdapterTypes as T } from 'parse5';

export type Element = T.Element;
export type ChildNode = T.ChildNode;
export type ParentNode = T.ParentNode;

export interface PageTree {
  readonly document: T.Document;
  /** Elements with a start tag in the source, in source order; an element's index is its id. */
  readonly elements: readonly Element[];
  readonly idOf: ReadonlyMap<Element, number>;
  readonly parentOf: ReadonlyMap<ChildNode, ParentNode>;
}

export function parsePage(text: string): PageTree {
  const document = parse(text, { sourceCodeLocationInfo: true });
  const elements: Element[] = [];
  const idOf = new Map<Element, number>();
  const parentOf = new Map<ChildNode, ParentNode>();
  const visit = (node: ParentNode): void => {
    const children = node.nodeName === 'template' ? (node as T.Template).content.childNodes : node.childNodes;
    for (const child of children) {
      parentOf.set(child, node);
      if (isElement(child)) {
        if (child.sourceCodeLocation?.startTag) {
          idOf.set(child, elements.length);
          elements.push(child);
        }
        visit(child);
      }
    }
  };
  visit(document);
  elements.sort((a, b) => a.sourceCodeLocation!.startTag!.startOffset - b.sourceCodeLocation!.startTag!.startOffset);
  elements.forEach((e, i) => idOf.set(e, i));
  return { document, elements, idOf, parentOf };
}

export function isElement(node: T.Node): node is Element {
  return 'tagName' in node;
}

export function isText(node: T.Node): node is T.TextNode {
  return node.nodeName === '#text';
}

export function attr(el: Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

/** The text of a node and its descendants, as a browser's textContent. */
export function textContent(node: T.Node): string {
  if (isText(node)) return node.value;
  if (!('childNodes' in node)) return '';
  return node.childNodes.map(textContent).join('');
}

/** [start, end) of a node in the source: a text node's text, an element from its start tag to its end. */
export function nodeRange(node: ChildNode): readonly [number, number] | undefined {
  const loc = node.sourceCodeLocation;
  if (!loc) return undefined;
  return [loc.startOffset, loc.endOffset];
}

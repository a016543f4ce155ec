// The only module that touches `acorn`: a k6 script parsed as the JavaScript it is (ES modules,
// template literals, arrow functions), every node with its line and column. Regular expressions
// cannot tell `sleep(1)` in a comment from one in code, or follow a const into a template URL.

import { parse } from 'acorn';
import type { Node } from 'acorn';
import { ImportInputError } from './types.js';
import type { SourcePlace } from './types.js';

/**
 * An ESTree node, read loosely: the converter looks at a few fields of a few node types and
 * treats every other shape as "not converted", so the full union of acorn's types buys little.
 */
export interface JsNode {
  type: string;
  start: number;
  end: number;
  loc?: { start: { line: number; column: number } } | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}

export interface ParsedScript {
  program: JsNode;
  /** 1-based line and column of a node */
  place(node: JsNode): SourcePlace;
  /** the node as written, on one line and shortened */
  excerpt(node: JsNode, max?: number): string;
}

export function parseK6Script(text: string): ParsedScript {
  let program: Node;
  try {
    program = parse(text, { ecmaVersion: 'latest', sourceType: 'module', locations: true, allowHashBang: true, allowReturnOutsideFunction: false });
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    const message = (error as Error).message.replace(/\s*\(\d+:\d+\)$/, '');
    throw new ImportInputError(`JavaScript syntax error: ${message}`, loc ? { line: loc.line, col: loc.column + 1 } : undefined);
  }
  return {
    program: program as unknown as JsNode,
    place: (node) => ({ line: node.loc?.start.line ?? 1, col: (node.loc?.start.column ?? 0) + 1 }),
    excerpt: (node, max = 60) => {
      const written = text.slice(node.start, node.end).replace(/\s+/g, ' ').trim();
      return written.length > max ? `${written.slice(0, max - 1)}…` : written;
    },
  };
}

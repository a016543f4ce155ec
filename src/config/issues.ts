// Putting the problems of a file together: one issue per field, in file order.

import type { InputIssue } from '../errors.js';

/**
 * Issues from several checks of the same files, most telling first: an issue is dropped when an
 * earlier group already has one at the same field (an unset `${VAR}` explains the empty value
 * that the rules and the schema would also complain about). `always` issues are all kept.
 */
export function mergeIssues(ranked: InputIssue[][], always: InputIssue[] = []): InputIssue[] {
  const covered = new Set<string>();
  const kept: InputIssue[] = [...always];
  for (const group of ranked) {
    const fields = group.map((issue) => `${issue.file}\0${issue.path}`);
    group.forEach((issue, index) => {
      if (!covered.has(fields[index] ?? '')) kept.push(issue);
    });
    for (const field of fields) covered.add(field);
  }
  return sortIssues(kept);
}

/** by file (in order of first appearance), then line and column; stable */
export function sortIssues(issues: InputIssue[]): InputIssue[] {
  const fileOrder = new Map<string, number>();
  for (const issue of issues) if (!fileOrder.has(issue.file)) fileOrder.set(issue.file, fileOrder.size);
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) =>
      (fileOrder.get(a.issue.file) ?? 0) - (fileOrder.get(b.issue.file) ?? 0) ||
      a.issue.line - b.issue.line ||
      a.issue.col - b.issue.col ||
      a.index - b.index,
    )
    .map(({ issue }) => issue);
}

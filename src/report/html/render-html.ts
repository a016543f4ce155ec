// result(s) -> one self-contained HTML document (SPEC §6): inline CSS and SVG, nothing fetched.
// Several results make one release sign-off document with an overall verdict.
import type { Result } from '../../result/types.js';
import { renderReportTemplate } from './handlebars-templates.js';
import { buildReportView } from './view-model.js';

export function renderHtml(results: Result[]): string {
  return renderReportTemplate(buildReportView(results));
}

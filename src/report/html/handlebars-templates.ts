// The only module that touches handlebars. Templates live in <package root>/reports-templates/
// (report.hbs plus partials/*.hbs) and are read once, at first use. Every `{{ }}` escapes; the
// one way to print markup is the `svg` helper, and it accepts only a TrustedSvg (built by
// svg.ts, where every text went through escapeXml).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { TrustedSvg } from './svg.js';

/** src/report/html/ (tests) and dist/report/html/ (built) are both three levels below the root. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../../reports-templates/', import.meta.url));

type Render = (context: object) => string;

let cached: Render | undefined;

function load(dir: string, name = 'report'): Render {
  const hb = Handlebars.create();
  hb.registerHelper('svg', (value: unknown) => {
    if (value instanceof TrustedSvg) return new hb.SafeString(value.markup);
    throw new Error('the svg helper prints only charts built by svg.ts');
  });
  const partialsDir = join(dir, 'partials');
  let files: string[];
  try {
    files = readdirSync(partialsDir).sort();
  } catch (err) {
    throw new Error(`the HTML report templates are missing: ${partialsDir} (${(err as Error).message})`);
  }
  for (const file of files) {
    if (!file.endsWith('.hbs')) continue;
    hb.registerPartial(basename(file, '.hbs'), readFileSync(join(partialsDir, file), 'utf8'));
  }
  // strict: a misspelt field throws instead of printing nothing; preventIndent keeps <pre> intact
  const template = hb.compile(readFileSync(join(dir, `${name}.hbs`), 'utf8'), { strict: true, preventIndent: true });
  return (context) => template(context);
}

/** Renders reports-templates/report.hbs with the given view. */
export function renderReportTemplate(view: object, templatesDir: string = TEMPLATES_DIR): string {
  if (templatesDir !== TEMPLATES_DIR) return load(templatesDir)(view);
  cached ??= load(TEMPLATES_DIR);
  return cached(view);
}

const named = new Map<string, Render>();

/** Renders another page of reports-templates/ (e.g. history.hbs) with the same partials and escaping. */
export function renderNamedTemplate(name: string, view: object): string {
  let render = named.get(name);
  if (!render) {
    render = load(TEMPLATES_DIR, name);
    named.set(name, render);
  }
  return render(view);
}

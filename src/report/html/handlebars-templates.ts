// The only module that touches handlebars. Templates live in <package root>/reports-templates/
// (report.hbs plus partials/*.hbs). The build precompiles them (scripts/precompile-templates.mjs)
// and a built perfctl loads only the handlebars runtime; from src/ (tests) or for another
// directory they are read and compiled at first use. Every `{{ }}` escapes; the one way to print
// markup is the `svg` helper, and it accepts only a TrustedSvg (built by svg.ts, where every text
// went through escapeXml).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import type HandlebarsNamespace from 'handlebars';
import { builtDir, packageRoot } from '../../version.js';
import { TrustedSvg } from './svg.js';

export const TEMPLATES_DIR = join(packageRoot, 'reports-templates');
/** written by the build; used by built code only (tests of src/ compile the .hbs files) */
const PRECOMPILED = builtDir === undefined ? undefined : join(builtDir, 'report', 'html', 'precompiled-templates.cjs');
// The compile options; scripts/precompile-templates.mjs uses the same. strict: a misspelt field
// throws instead of printing nothing; preventIndent keeps <pre> intact.
const COMPILE_OPTIONS = { strict: true, preventIndent: true } as const;

type Handlebars = typeof HandlebarsNamespace;
type Render = (context: object) => string;
interface Precompiled {
  pages: Record<string, TemplateSpecification>;
  partials: Record<string, TemplateSpecification>;
}

// required lazily: the full handlebars (its parser and compiler) is loaded only when compiling
const require = createRequire(import.meta.url);

let cached: Render | undefined;

function withSvgHelper(hb: Handlebars): Handlebars {
  hb.registerHelper('svg', (value: unknown) => {
    if (value instanceof TrustedSvg) return new hb.SafeString(value.markup);
    throw new Error('the svg helper prints only charts built by svg.ts');
  });
  return hb;
}

function loadPrecompiled(name: string): Render | undefined {
  if (PRECOMPILED === undefined || !existsSync(PRECOMPILED)) return undefined;
  const specs = require(PRECOMPILED) as Precompiled;
  const page = specs.pages[name];
  if (!page) return undefined;
  const hb = withSvgHelper((require('handlebars/runtime') as Handlebars).create());
  for (const [partial, spec] of Object.entries(specs.partials)) hb.registerPartial(partial, hb.template(spec));
  const template = hb.template(page);
  return (context) => template(context);
}

function compile(dir: string, name = 'report'): Render {
  const hb = withSvgHelper((require('handlebars') as Handlebars).create());
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
  const template = hb.compile(readFileSync(join(dir, `${name}.hbs`), 'utf8'), COMPILE_OPTIONS);
  return (context) => template(context);
}

const load = (name: string): Render => loadPrecompiled(name) ?? compile(TEMPLATES_DIR, name);

/** Renders reports-templates/report.hbs with the given view. */
export function renderReportTemplate(view: object, templatesDir: string = TEMPLATES_DIR): string {
  if (templatesDir !== TEMPLATES_DIR) return compile(templatesDir)(view);
  cached ??= load('report');
  return cached(view);
}

const named = new Map<string, Render>();

/** Renders another page of reports-templates/ (e.g. history.hbs) with the same partials and escaping. */
export function renderNamedTemplate(name: string, view: object): string {
  let render = named.get(name);
  if (!render) {
    render = load(name);
    named.set(name, render);
  }
  return render(view);
}

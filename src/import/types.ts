// What an importer returns: the document to write, and what it could not convert (or converted
// only approximately), each with its place in the source file.

export type ImportKind = 'artillery' | 'k6' | 'har' | 'markdown';
export const importKinds: readonly ImportKind[] = ['artillery', 'k6', 'har', 'markdown'];

/** A place in the source file (1-based). */
export interface SourcePlace {
  line: number;
  col: number;
}

/** A construct of the source, at its place, and what to do instead. */
export interface SourceRemark extends SourcePlace {
  /** the construct as the user wrote it, shortened (`Math.random() < 0.7`, `config.plugins`) */
  construct: string;
  /** left out: what to do in perfctl instead; a note: how it was converted */
  advice: string;
}

export interface Conversion {
  /** what the output is: a load profile, or a target table */
  output: 'profile' | 'targets';
  /** the document, in emit-yaml's terms */
  document: Record<string, unknown>;
  /** comment lines at the top of the output */
  header: string[];
  /** constructs not converted: the output works without them, but differs from the source */
  leftOut: SourceRemark[];
  /** constructs converted with a change of meaning worth knowing */
  notes: SourceRemark[];
  /** environment variables the output needs (`${TOKEN}` placeholders), with what to put in them */
  placeholders: { name: string; what: string }[];
  /** files the output refers to, written beside it (a payload CSV with a header row) */
  files?: { name: string; content: string }[];
  /** one line: what was converted (`3 stages, 5 requests, 2 target rows`) */
  summary: string;
}

export interface ImportOptions {
  /** the source file as shown in messages and comments */
  file: string;
  /** --base-url: the service to test instead of the one the source names */
  baseUrl?: string;
  /** HAR: keep images, fonts, stylesheets and scripts */
  includeAssets?: boolean;
  /** Markdown: the request names of --profile, for each row's `requests:` */
  profileRequests?: ProfileRequest[];
}

/** A request (or flow step) of an existing profile, for matching a target table's rows to it. */
export interface ProfileRequest {
  name: string;
  method: string;
  path: string;
}

/** An input that is not what it claims to be (exit 2): one line, at a place when there is one. */
export class ImportInputError extends Error {
  constructor(
    message: string,
    readonly place?: SourcePlace,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ImportInputError';
  }
}

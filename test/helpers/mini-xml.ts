// A small, strict XML reader for tests (junit.xml): elements, attributes, text, comments,
// the XML declaration and the five predefined entities plus numeric references. It throws on
// anything not well formed (unclosed or mismatched tags, stray `<` or `&`), so a test that
// parses a file back also checks that CI tools could read it.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /[A-Za-z_:][\w:.-]*/y;

function decode(text: string, at: number): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`stray "&" near offset ${at}`);
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[ref as 'amp']!;
  });
}

export function parseXml(source: string): XmlElement {
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`XML: ${what} at offset ${pos}: ${JSON.stringify(source.slice(pos, pos + 40))}`);
  };
  const skipSpace = (): void => {
    while (pos < source.length && /\s/.test(source[pos]!)) pos++;
  };
  const readName = (): string => {
    NAME.lastIndex = pos;
    const match = NAME.exec(source);
    if (!match) return fail('expected a name');
    pos += match[0].length;
    return match[0];
  };
  const skipMisc = (): void => {
    for (;;) {
      skipSpace();
      if (source.startsWith('<?', pos)) {
        const end = source.indexOf('?>', pos);
        if (end < 0) fail('unterminated processing instruction');
        pos = end + 2;
      } else if (source.startsWith('<!--', pos)) {
        const end = source.indexOf('-->', pos);
        if (end < 0) fail('unterminated comment');
        pos = end + 3;
      } else return;
    }
  };

  const readElement = (): XmlElement => {
    if (source[pos] !== '<') fail('expected "<"');
    pos++;
    const element: XmlElement = { name: readName(), attributes: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', pos)) {
        pos += 2;
        return element;
      }
      if (source[pos] === '>') {
        pos++;
        break;
      }
      const attr = readName();
      skipSpace();
      if (source[pos] !== '=') fail('expected "="');
      pos++;
      skipSpace();
      const quote = source[pos];
      if (quote !== '"' && quote !== "'") return fail('expected a quoted value');
      const end = source.indexOf(quote, pos + 1);
      if (end < 0) fail('unterminated attribute');
      const raw = source.slice(pos + 1, end);
      if (raw.includes('<')) fail('"<" in an attribute value');
      if (attr in element.attributes) fail(`duplicate attribute ${attr}`);
      element.attributes[attr] = decode(raw, pos);
      pos = end + 1;
    }
    for (;;) {
      if (pos >= source.length) fail(`unclosed <${element.name}>`);
      if (source.startsWith('</', pos)) {
        pos += 2;
        const name = readName();
        if (name !== element.name) fail(`</${name}> closes <${element.name}>`);
        skipSpace();
        if (source[pos] !== '>') fail('expected ">"');
        pos++;
        return element;
      }
      if (source.startsWith('<!--', pos)) {
        const end = source.indexOf('-->', pos);
        if (end < 0) fail('unterminated comment');
        pos = end + 3;
      } else if (source.startsWith('<![CDATA[', pos)) {
        const end = source.indexOf(']]>', pos);
        if (end < 0) fail('unterminated CDATA');
        element.text += source.slice(pos + 9, end);
        pos = end + 3;
      } else if (source[pos] === '<') {
        element.children.push(readElement());
      } else {
        const next = source.indexOf('<', pos);
        const end = next < 0 ? source.length : next;
        element.text += decode(source.slice(pos, end), pos);
        pos = end;
      }
    }
  };

  skipMisc();
  const root = readElement();
  skipMisc();
  if (pos !== source.length) fail('content after the root element');
  return root;
}

/** Every descendant element named `name`, in document order. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const child of e.children) {
      if (child.name === name) found.push(child);
      walk(child);
    }
  };
  walk(element);
  return found;
}

// Escaping for text placed into the SVG (and any markup) built in TypeScript. Handlebars
// escapes what templates print; everything the charts write goes through this instead.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an XML/HTML text node or a quoted attribute value. */
export function escapeXml(text: string): string {
  // drop the control characters XML 1.0 forbids (they would make the SVG invalid)
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

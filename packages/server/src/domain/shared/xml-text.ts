/**
 * Characters XML 1.0 cannot carry (§2.2 Char): C0 controls other than tab, LF and CR, U+FFFE, U+FFFF, and
 * UTF-16 surrogates that are not part of a pair (a JSON `"\ud800"` decodes to one).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'g');

/** The code unit of the first character XML 1.0 forbids, or undefined when the text is clean. */
export function firstForbiddenXmlChar(text: string): number | undefined {
  const match = FORBIDDEN.exec(text);
  return match ? match[0].charCodeAt(0) : undefined;
}

/** The text with every character XML 1.0 forbids replaced by U+FFFD (what a serialiser may emit). */
export function xmlSafeText(text: string): string {
  return FORBIDDEN.test(text) ? text.replace(FORBIDDEN_ALL, '\uFFFD') : text;
}

import { describe, expect, it } from 'vitest';
import { XmlStreamParser, type Element, type XmlStreamParserOptions } from './parser.js';
import type { StreamError } from './errors.js';
import { DEFAULT_XML_STREAM_LIMITS } from './limits.js';

type Event = ['start', Record<string, string>] | ['element', string] | ['end'] | ['error', StreamError];

function collect(options: XmlStreamParserOptions) {
  const parser = new XmlStreamParser(options);
  const events: Event[] = [];
  parser.on('streamStart', (attrs) => events.push(['start', attrs]));
  parser.on('element', (el) => events.push(['element', el.toString()]));
  parser.on('streamEnd', () => events.push(['end']));
  parser.on('streamError', (error) => events.push(['error', error]));
  const errors = () => events.filter((e) => e[0] === 'error').map((e) => (e[1] as StreamError).condition);
  const elements = () => events.filter((e) => e[0] === 'element').map((e) => e[1] as string);
  return { parser, events, errors, elements };
}

const ws = (extra: Partial<XmlStreamParserOptions> = {}) => collect({ framing: 'websocket', ...extra });
const tcp = (extra: Partial<XmlStreamParserOptions> = {}) => collect({ framing: 'tcp', ...extra });
const FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';
const HEADER = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='chat.example' version='1.0'>";

describe('XmlStreamParser: WebSocket framing', () => {
  it('maps <open/> and <close/> to stream start and end and emits stanzas in between', () => {
    const { parser, events } = ws();
    parser.write(`<open xmlns="${FRAMING}" version="1.0" to="chat.example"/>`);
    parser.write('<iq xmlns="jabber:client" type="get" id="1"><ping xmlns="urn:xmpp:ping"/></iq>');
    parser.write(`<close xmlns="${FRAMING}"/>`);
    parser.write('<iq/>');
    expect(events).toEqual([
      ['start', { xmlns: FRAMING, version: '1.0', to: 'chat.example' }],
      ['element', '<iq xmlns="jabber:client" type="get" id="1"><ping xmlns="urn:xmpp:ping"/></iq>'],
      ['end'],
    ]);
    expect(parser.closed).toBe(true);
  });

  it('emits elements with children and parents detached at the top', () => {
    const { parser } = ws();
    let top: Element | undefined;
    parser.on('element', (el) => (top = el));
    parser.write('<message xmlns="jabber:client" to="a@b"><body>hi</body><x a="1"><y/></x></message>');
    expect(top?.parent).toBeNull();
    expect(top?.getChildText('body')).toBe('hi');
    expect(top?.getChild('x')?.getChild('y')?.parent?.name).toBe('x');
  });

  it('accepts several elements in one chunk, with whitespace between them', () => {
    const { parser, elements, errors } = ws();
    parser.write('<a/>\n<b>1</b> <c x="y"/>\r\n');
    expect(elements()).toEqual(['<a/>', '<b>1</b>', '<c x="y"/>']);
    expect(errors()).toEqual([]);
  });

  it('accepts one element split byte by byte', () => {
    const { parser, elements, errors } = ws();
    const xml = '<message xmlns="jabber:client" id="x&amp;y"><body>héllo 😀 €</body></message>';
    for (const byte of Buffer.from(xml)) parser.write(Buffer.of(byte));
    expect(errors()).toEqual([]);
    expect(elements()).toEqual([xml]);
  });

  it('decodes multi-byte UTF-8 split across chunks', () => {
    const { parser, events } = ws();
    let body = '';
    parser.on('element', (el) => (body = el.getText()));
    const bytes = Buffer.from('<b>€😀</b>');
    parser.write(bytes.subarray(0, 4)); // '<b>' + first byte of €
    parser.write(bytes.subarray(4, 8)); // rest of €, first byte of 😀
    parser.write(bytes.subarray(8));
    expect(body).toBe('€😀');
    expect(events.filter((e) => e[0] === 'error')).toEqual([]);
  });

  it('decodes a character split across chunks after whole chunks, and drops a BOM only at the start', () => {
    const { parser, errors } = ws();
    const bodies: string[] = [];
    parser.on('element', (el) => bodies.push(el.getText()));
    parser.write(Buffer.from('\ufeff<a>x</a>'));
    parser.write(Buffer.from('<b>\ufeff</b>'));
    const split = Buffer.from('<c>€</c>');
    parser.write(split.subarray(0, 4));
    parser.write(split.subarray(4));
    parser.write(Buffer.from('<d>\ufeff</d>'));
    expect(errors()).toEqual([]);
    expect(bodies).toEqual(['x', '\ufeff', '€', '\ufeff']);
  });

  it('keeps \\r\\n in text and attributes (no line-ending normalisation)', () => {
    const { parser } = ws();
    let el: Element | undefined;
    parser.on('element', (e) => (el = e));
    parser.write('<message><body>v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\n</body></message>');
    expect(el?.getChildText('body')).toBe('v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\n');
  });

  it('accepts SDK element names such as <0> and forwards them verbatim', () => {
    const { parser, elements, errors } = ws();
    const xml = '<message xmlns="jabber:client"><extraParams xmlns="jabber:client"><attachments><0><id>7</id></0><1><id>8</id></1></attachments></extraParams></message>';
    parser.write(xml);
    expect(errors()).toEqual([]);
    expect(elements()).toEqual([xml]);
  });

  it('unescapes predefined entities and character references', () => {
    const { parser } = ws();
    let text = '';
    parser.on('element', (e) => (text = e.getText()));
    parser.write('<b>&lt;&amp;&gt;&quot;&apos;&#13;&#x41;</b>');
    expect(text).toBe('<&>"\'\rA');
  });

  it('accepts the default limits exactly at the edge', () => {
    const { parser, errors, elements } = ws({ maxBytesBeforeAuth: 1 << 30 });
    const filler = 'x'.repeat(DEFAULT_XML_STREAM_LIMITS.maxStanzaBytes - '<a></a>'.length);
    parser.write(`<a>${filler}</a>`);
    expect(errors()).toEqual([]);
    expect(elements()).toHaveLength(1);
  });
});

describe('XmlStreamParser: TCP framing', () => {
  it('reports declaration, stream header, stanzas and stream end', () => {
    const { parser, events } = tcp();
    parser.write(`<?xml version='1.0' encoding='UTF-8'?>${HEADER}`);
    parser.write('\n<message to="a@b"><body>hi</body></message> <presence/>');
    parser.write('</stream:stream><junk>');
    expect(events).toEqual([
      ['start', { xmlns: 'jabber:client', 'xmlns:stream': 'http://etherx.jabber.org/streams', to: 'chat.example', version: '1.0' }],
      ['element', '<message to="a@b"><body>hi</body></message>'],
      ['element', '<presence/>'],
      ['end'],
    ]);
  });

  it('works without a declaration and split byte by byte', () => {
    const { parser, events, errors } = tcp();
    for (const byte of Buffer.from(`${HEADER}<iq type="get"><q/></iq></stream:stream>`)) parser.write(Buffer.of(byte));
    expect(errors()).toEqual([]);
    expect(events.map((e) => e[0])).toEqual(['start', 'element', 'end']);
  });

  it('restarts the stream after reset()', () => {
    const { parser, events, errors } = tcp();
    parser.write(`${HEADER}<auth/>`);
    parser.reset();
    parser.write(`${HEADER}<iq/>`);
    expect(errors()).toEqual([]);
    expect(events.map((e) => e[0])).toEqual(['start', 'element', 'start', 'element']);
  });

  it('refuses a root other than <stream:stream>', () => {
    const { parser, errors } = tcp();
    parser.write('<message/>');
    expect(errors()).toEqual(['not-well-formed']);
  });

  it('refuses processing instructions other than the leading declaration', () => {
    for (const input of [`${HEADER}<?foo bar?>`, `<?xml version='1.0'?><?xml version='1.0'?>`, ` <?xml version='1.0'?>`, `<?xml-stylesheet x?>`, `<?php ?>`]) {
      const { parser, errors } = tcp();
      parser.write(input);
      expect(errors(), input).toEqual(['restricted-xml']);
    }
  });

  it('refuses non-whitespace text between stanzas', () => {
    const { parser, errors } = tcp();
    parser.write(`${HEADER}hello`);
    expect(errors()).toEqual(['not-well-formed']);
  });
});

describe('XmlStreamParser: refusals', () => {
  it('refuses a billion-laughs DOCTYPE with restricted-xml', () => {
    const { parser, events } = tcp();
    parser.write(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><stream:stream>&lol2;`);
    expect(events).toEqual([['error', { condition: 'restricted-xml', text: expect.any(String) }]]);
  });

  it('refuses comments, CDATA and entity declarations anywhere', () => {
    for (const input of ['<a><!-- hi --></a>', '<a><![CDATA[x]]></a>', '<!ENTITY x "y">', '<a><!DOCTYPE a></a>', '<!']) {
      const { parser, errors } = ws();
      parser.write(input);
      expect(errors(), input).toEqual(['restricted-xml']);
    }
  });

  it('refuses any processing instruction in WebSocket framing', () => {
    const { parser, errors } = ws();
    parser.write('<?xml version="1.0"?><open/>');
    expect(errors()).toEqual(['restricted-xml']);
  });

  it('refuses a 10 MB stanza fed in 64 KiB chunks before 300 KiB are buffered', () => {
    const { parser, errors } = ws({ maxBytesBeforeAuth: 1 << 30 });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    parser.write('<message><body>');
    let fed = 0;
    let maxPending = 0;
    for (let i = 0; i < 160 && errors().length === 0; i++) {
      parser.write(chunk);
      fed += chunk.length;
      maxPending = Math.max(maxPending, parser.pendingStanzaBytes);
    }
    expect(errors()).toEqual(['policy-violation']);
    expect(fed).toBeLessThan(300 * 1024);
    expect(maxPending).toBeLessThanOrEqual(256 * 1024);
  });

  it('refuses an oversized stanza delivered in one chunk', () => {
    const { parser, events } = ws({ maxStanzaBytes: 1024, maxBytesBeforeAuth: 1 << 20 });
    parser.write(`<a/><b>${'x'.repeat(2000)}</b><c/>`);
    expect(events.map((e) => e[0])).toEqual(['element', 'error']);
    expect(events[1]?.[1]).toMatchObject({ condition: 'policy-violation' });
  });

  it('counts stanza size in UTF-8 bytes', () => {
    const { parser, errors } = ws({ maxStanzaBytes: 20 });
    parser.write('<a>€€€€€</a>'); // 7 + 15 bytes
    expect(errors()).toEqual(['policy-violation']);
  });

  it('refuses 1,000-deep nesting with policy-violation', () => {
    const { parser, errors } = ws();
    parser.write('<a>'.repeat(1000) + '</a>'.repeat(1000));
    expect(errors()).toEqual(['policy-violation']);
  });

  it('accepts nesting up to the depth limit, in TCP too', () => {
    const a = ws({ maxDepth: 3 });
    a.parser.write('<a><b><c/></b></a>');
    expect(a.errors()).toEqual([]);
    a.parser.write('<a><b><c><d/></c></b></a>');
    expect(a.errors()).toEqual(['policy-violation']);
    const t = tcp({ maxDepth: 2 });
    t.parser.write(`${HEADER}<a><b/></a>`);
    expect(t.errors()).toEqual([]);
    t.parser.write('<a><b><c/></b></a>');
    expect(t.errors()).toEqual(['policy-violation']);
  });

  it('refuses too many attributes', () => {
    const attrs = (n: number) => Array.from({ length: n }, (_, i) => ` a${i}="${i}"`).join('');
    const ok = ws();
    ok.parser.write(`<a${attrs(64)}/>`);
    expect(ok.errors()).toEqual([]);
    const bad = ws();
    bad.parser.write(`<a${attrs(65)}/>`);
    expect(bad.errors()).toEqual(['policy-violation']);
  });

  it('caps bytes before authentication until authenticated() is called', () => {
    const stanza = `<iq>${'x'.repeat(1000)}</iq>`;
    const before = ws({ maxBytesBeforeAuth: 4096 });
    for (let i = 0; i < 5; i++) before.parser.write(stanza);
    expect(before.errors()).toEqual(['policy-violation']);
    expect(before.elements()).toHaveLength(4);
    const after = ws({ maxBytesBeforeAuth: 4096 });
    after.parser.write(stanza);
    after.parser.authenticated();
    for (let i = 0; i < 20; i++) after.parser.write(stanza);
    expect(after.errors()).toEqual([]);
    expect(after.elements()).toHaveLength(21);
  });

  it('refuses malformed XML with not-well-formed', () => {
    const inputs = [
      '<a></b>',
      '</a>',
      '<a b></a>',
      '<a b=c></a>',
      '<a b="1"c="2"/>',
      '<a <b/>',
      '< a/>',
      '<a/ >',
      '<a b="<"/>',
      'text',
      '<a>&foo;</a>',
      '<a>&#0;</a>',
      '<a x="&bogus;"/>',
      '<a>\u0001</a>',
      '<a>\uffff</a>',
      '<a>\ud800x</a>',
      '<a></ a>',
    ];
    for (const input of inputs) {
      const { parser, errors } = ws();
      parser.write(input);
      expect(errors(), JSON.stringify(input)).toEqual(['not-well-formed']);
    }
  });

  it('refuses invalid UTF-8 with unsupported-encoding', () => {
    for (const bytes of [Buffer.of(0x3c, 0x61, 0x3e, 0xff, 0x3c), Buffer.of(0xc0, 0x80), Buffer.of(0xed, 0xa0, 0x80), Buffer.of(0xe2, 0x28, 0xa1)]) {
      const { parser, errors } = ws();
      parser.write(bytes);
      expect(errors()).toEqual(['unsupported-encoding']);
    }
  });

  it('refuses garbage bytes without throwing and then ignores all input', () => {
    const { parser, events } = ws();
    expect(() => parser.write(Buffer.from([0x00, 0x01, 0x02, 0x7f, 0x3c, 0x3e]))).not.toThrow();
    parser.write('<a/>');
    parser.write(`<open xmlns="${FRAMING}"/>`);
    expect(events).toHaveLength(1);
    expect(events[0]?.[0]).toBe('error');
    expect(parser.closed).toBe(true);
  });

  it('validates its options', () => {
    expect(() => new XmlStreamParser({ framing: 'websocket', maxDepth: 0 })).toThrow(RangeError);
    expect(() => new XmlStreamParser({ framing: 'bosh' as 'tcp' })).toThrow(TypeError);
    expect(new XmlStreamParser({ framing: 'tcp' }).limits).toEqual(DEFAULT_XML_STREAM_LIMITS);
  });
});

describe('XmlStreamParser: cost', () => {
  it('parses a 128 KiB body trickled in 1-byte chunks in linear time', () => {
    const { parser, elements, errors } = tcp({ maxBytesBeforeAuth: 1 << 20 });
    parser.write(HEADER);
    const bytes = Buffer.from(`<message><body a="${'v'.repeat(64 * 1024)}">${'x'.repeat(64 * 1024)}</body></message>`);
    const started = performance.now();
    for (let i = 0; i < bytes.length; i++) parser.write(bytes.subarray(i, i + 1));
    expect(errors()).toEqual([]);
    expect(elements()).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1500);
  });
});

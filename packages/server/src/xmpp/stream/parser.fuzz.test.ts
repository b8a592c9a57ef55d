import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeXML, escapeXMLText } from '@xmpp/xml';
import { XmlStreamParser, type Framing } from './parser.js';

const HEADER = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";

/** Feeds `bytes` cut at `cuts` and checks the event-sequence invariants; returns the events. */
function feed(framing: Framing, bytes: Uint8Array, cuts: number[], limits: { maxStanzaBytes?: number } = {}) {
  const parser = new XmlStreamParser({ framing, ...limits });
  const events: string[] = [];
  const elements: string[] = [];
  parser.on('streamStart', () => events.push('start'));
  parser.on('element', (el) => {
    events.push('element');
    elements.push(el.toString());
  });
  parser.on('streamEnd', () => events.push('end'));
  parser.on('streamError', () => events.push('error'));
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...points, bytes.length]) {
    expect(() => parser.write(Buffer.from(bytes.subarray(from, to)))).not.toThrow();
    from = to;
  }
  const errorAt = events.indexOf('error');
  expect(events.filter((e) => e === 'error').length).toBeLessThanOrEqual(1);
  if (errorAt !== -1) expect(errorAt).toBe(events.length - 1);
  const endAt = events.indexOf('end');
  if (endAt !== -1) expect(endAt).toBe(events.length - 1);
  return { events, elements };
}

// Valid stanzas: lenient names (including SDK-style `<0>`), attributes, text with \r\n and escapes.
const name = fc.constantFrom('message', 'body', 'iq', 'x', '0', '1', 'stream:features', 'a-b.c_d');
// eslint-disable-next-line no-control-regex -- stripping the characters XML forbids is the point
const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u{d800}-\u{dfff}\ufffe\uffff]/gu;
const text = fc
  .oneof(fc.string({ maxLength: 20, unit: 'binary' }), fc.constantFrom('v=0\r\n', '\r', '&<>"\'', ' \t\n'))
  .map((s) => s.replace(forbidden, ''));
const attrs = fc.dictionary(fc.constantFrom('id', 'to', 'type', 'xmlns', 'a1'), text, { maxKeys: 3 });
type Tree = { name: string; attrs: Record<string, string>; children: Array<Tree | string> };
const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.record({
    name,
    attrs,
    children: fc.array(fc.oneof({ depthSize: 'small' }, text.filter((t) => t.length > 0), tie('node')), { maxLength: 3 }),
  }),
})).node;

const serialise = (t: Tree): string => {
  const a = Object.entries(t.attrs).map(([k, v]) => ` ${k}="${escapeXML(v)}"`).join('');
  if (t.children.length === 0) return `<${t.name}${a}/>`;
  // Adjacent text children merge when parsed: serialise what the parser will hand back.
  return `<${t.name}${a}>${t.children.map((c) => (typeof c === 'string' ? escapeXMLText(c) : serialise(c))).join('')}</${t.name}>`;
};

const cuts = fc.array(fc.nat(), { maxLength: 8 });
const RUNS = { numRuns: 500 };

describe('XmlStreamParser fuzz', () => {
  it('never throws on arbitrary bytes and keeps the event invariants', () => {
    fc.assert(
      fc.property(fc.constantFrom<Framing>('websocket', 'tcp'), fc.uint8Array({ maxLength: 200 }), cuts, (framing, bytes, c) => {
        feed(framing, bytes, c);
      }),
      RUNS,
    );
  });

  it('round-trips valid stanzas cut at arbitrary points', () => {
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 3 }), cuts, (trees, c) => {
        const xml = trees.map(serialise);
        const { events, elements } = feed('websocket', Buffer.from(xml.join('\r\n')), c);
        expect(events).not.toContain('error');
        expect(elements).toEqual(xml);
      }),
      RUNS,
    );
  });

  it('survives mutated valid streams (insertions, deletions, replacements)', () => {
    const mutation = fc.tuple(fc.nat(), fc.nat({ max: 4 }), fc.uint8Array({ maxLength: 4 }));
    fc.assert(
      fc.property(
        fc.constantFrom<Framing>('websocket', 'tcp'),
        fc.array(tree, { minLength: 1, maxLength: 3 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        cuts,
        (framing, trees, mutations, c) => {
          let bytes = Buffer.from((framing === 'tcp' ? HEADER : '') + trees.map(serialise).join(' ') + (framing === 'tcp' ? '</stream:stream>' : ''));
          for (const [at, remove, insert] of mutations) {
            const i = at % (bytes.length + 1);
            bytes = Buffer.concat([bytes.subarray(0, i), insert, bytes.subarray(i + remove)]);
          }
          feed(framing, bytes, c, { maxStanzaBytes: 512 });
        },
      ),
      RUNS,
    );
  });
});

import { xml } from '@xmpp/xml';
import parse from '@xmpp/xml/lib/parse.js';
import { describe, expect, it } from 'vitest';
import { PreparedStanza } from './prepared-stanza.js';

describe('PreparedStanza', () => {
  const message = () => xml('message', { type: 'chat', id: 'm1', from: '1-5@chat.test/web', to: 'ignored' }, xml('body', {}, 'a < b & "c"'));

  it('gives every recipient the same bytes with its own `to`, equal to serialising the addressed element', () => {
    const element = message();
    const prepared = PreparedStanza.of(element);
    expect(element.attrs.to).toBe('ignored');
    expect(prepared.text).not.toContain('ignored');
    for (const to of ['2-5@chat.test/phone', '3-5@chat.test/a"b&<c>']) {
      const expected = message();
      expected.attrs.xmlns = 'jabber:client';
      expected.attrs.to = to;
      expect(parse(prepared.textFor(to))).toEqual(parse(expected.toString()));
    }
  });

  it('travels as text (another node) and rebuilds the element for the per-connection paths', () => {
    const prepared = PreparedStanza.fromText(PreparedStanza.of(message()).text);
    expect(prepared.name).toBe('message');
    expect(prepared.isStanza).toBe(true);
    const element = prepared.elementFor('2-5@chat.test/phone');
    expect(element.attrs.to).toBe('2-5@chat.test/phone');
    expect(element.getChildText('body')).toBe('a < b & "c"');
    expect(() => PreparedStanza.fromText('not xml')).toThrow();
  });
});

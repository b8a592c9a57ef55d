import { describe, expect, it } from 'vitest';
import { extraParamsElement, parseExtraParams } from './extra-params.js';
import { parseXml } from './xml.js';

const one = (text: string) => parseXml(text)[0]!;

describe('extraParams: building', () => {
  it('writes keys in order: scalars as text, null/undefined as empty elements', () => {
    expect(String(extraParamsElement({ save_to_history: 1, flag: false, text: 'a<b', none: null, missing: undefined }))).toBe(
      '<extraParams xmlns="jabber:client"><save_to_history>1</save_to_history><flag>false</flag><text>a&lt;b</text><none></none><missing></missing></extraParams>',
    );
  });

  it('writes one <attachment/> per item with its keys as attributes (null ones left out)', () => {
    const element = extraParamsElement({ attachments: [{ uid: 'u1', type: 'image', size: 10, caption: null }, { uid: 'u2', tags: ['a', 'b'], meta: { x: 1 } }] });
    expect(String(element)).toBe('<extraParams xmlns="jabber:client"><attachment uid="u1" type="image" size="10"/><attachment uid="u2" tags="a,b" meta="[object Object]"/></extraParams>');
  });

  it('nests objects and names array items by index', () => {
    expect(String(extraParamsElement({ user: { name: 'Ann', address: { city: 'X' } }, tags: ['a', { b: 1 }], attachments: 'not an array' }))).toBe(
      '<extraParams xmlns="jabber:client"><user><name>Ann</name><address><city>X</city></address></user><tags><0>a</0><1><b>1</b></1></tags><attachments>not an array</attachments></extraParams>',
    );
  });
});

describe('extraParams: reading', () => {
  it('reads the realtime.md §7.3 delivered copy: strings, attachments with a numeric size, the dialog id', () => {
    const parsed = parseExtraParams(
      one('<extraParams xmlns="jabber:client"><save_to_history>1</save_to_history><dialog_id>64a1f0c2e4b0a1b2c3d4e5f6</dialog_id><attachment uid="9f1e00" type="image" name="cat.png" size="48211" width="640" height="480"/><customer_ref>A-17</customer_ref><date_sent>1732511478</date_sent></extraParams>'),
    );
    expect(parsed).toEqual({
      dialogId: '64a1f0c2e4b0a1b2c3d4e5f6',
      extension: {
        attachments: [{ uid: '9f1e00', type: 'image', name: 'cat.png', size: 48211, width: '640', height: '480' }],
        save_to_history: '1',
        dialog_id: '64a1f0c2e4b0a1b2c3d4e5f6',
        customer_ref: 'A-17',
        date_sent: '1732511478',
      },
    });
    expect(Object.keys(parsed.extension)[0]).toBe('attachments');
  });

  it('drops empty top-level elements and moduleIdentifier; empty nested ones read as null; arrays come back as index-keyed objects', () => {
    const parsed = parseExtraParams(
      one('<extraParams xmlns="jabber:client"><moduleIdentifier>SystemNotifications</moduleIdentifier><empty></empty><gone/><user><name>Ann</name><nick/><address><city>X</city></address></user><tags><0>a</0><1>b</1></tags></extraParams>'),
    );
    expect(parsed).toEqual({ dialogId: null, extension: { user: { name: 'Ann', nick: null, address: { city: 'X' } }, tags: { 0: 'a', 1: 'b' } } });
  });

  it('keeps an empty dialog_id as an empty string', () => {
    expect(parseExtraParams(one('<extraParams xmlns="jabber:client"><dialog_id></dialog_id></extraParams>'))).toEqual({ dialogId: '', extension: { dialog_id: '' } });
  });

  it('round-trips an extension as strings', () => {
    const extension = { save_to_history: 1, dialog_id: 'd1', attachments: [{ uid: 'u', size: 5 }], meta: { n: 2, list: ['x'] } };
    expect(parseExtraParams(one(String(extraParamsElement(extension))))).toEqual({
      dialogId: 'd1',
      extension: { attachments: [{ uid: 'u', size: 5 }], save_to_history: '1', dialog_id: 'd1', meta: { n: '2', list: { 0: 'x' } } },
    });
  });
});

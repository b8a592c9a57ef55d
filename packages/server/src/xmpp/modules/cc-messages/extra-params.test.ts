import parse from '@xmpp/xml/lib/parse.js';
import { describe, expect, it } from 'vitest';
import { hasContent, isOn, readContent, stampContent } from './extra-params.js';

const stanza = (xml: string) => parse(xml);

// The contract's 1-1 example as the SDK sends it (realtime.md §7.1), with an index-named array (§3.1).
const sent = stanza(
  '<message xmlns="jabber:client" from="5-42@D/0f3c" to="9-42@D" type="chat" id="6744F3F61A2B3C04D5000000"><body>How are you?</body>' +
    '<extraParams xmlns="jabber:client"><save_to_history>1</save_to_history><dialog_id>64A1F0C2E4B0A1B2C3D4E5F6</dialog_id>' +
    '<attachment uid="9f1e00" type="image" name="cat.png" size="48211" width="640" height="480"/>' +
    '<customer_ref>A-17</customer_ref><tags><0>a</0><1>b</1></tags><empty></empty><moduleIdentifier>x</moduleIdentifier></extraParams></message>',
);

describe('extraParams codec', () => {
  it('reads body, flags, dialog, attachments with numeric sizes and custom parameters', () => {
    expect(readContent(sent)).toEqual({
      id: '6744F3F61A2B3C04D5000000',
      body: 'How are you?',
      saveToHistory: true,
      // `silent` (no chat alert push) is read as a flag and never kept among the custom parameters.
      silent: false,
      dialogId: '64a1f0c2e4b0a1b2c3d4e5f6',
      attachments: [{ uid: '9f1e00', type: 'image', name: 'cat.png', size: 48211, width: 640, height: 480 }],
      custom: { customer_ref: 'A-17', tags: { 0: 'a', 1: 'b' }, empty: '' },
    });
  });

  it('treats 1 and true (any case) as on, anything else as off', () => {
    expect(['1', 'true', 'TRUE', ' 1 '].map(isOn)).toEqual([true, true, true, true]);
    expect(['0', 'yes', '', null, undefined].map(isOn)).toEqual([false, false, false, false, false]);
  });

  it('knows content (body or attachment) from other messages', () => {
    expect(hasContent(sent)).toBe(true);
    expect(hasContent(stanza('<message><extraParams><attachment uid="1"/></extraParams></message>'))).toBe(true);
    expect(hasContent(stanza('<message><composing xmlns="http://jabber.org/protocol/chatstates"/></message>'))).toBe(false);
  });

  it('stamps id, date_sent and dialog_id, creating extraParams when missing', () => {
    const bare = stanza('<message xmlns="jabber:client" to="9-42@D" type="chat"><body>hi</body></message>');
    stampContent(bare, { id: '6744f3f61a2b3c04d5000000', dateSent: 1732511478, dialogId: '64a1f0c2e4b0a1b2c3d4e5f6' });
    expect(bare.toString()).toBe(
      '<message xmlns="jabber:client" to="9-42@D" type="chat" id="6744f3f61a2b3c04d5000000"><body>hi</body>' +
        '<extraParams xmlns="jabber:client"><date_sent>1732511478</date_sent><dialog_id>64a1f0c2e4b0a1b2c3d4e5f6</dialog_id></extraParams></message>',
    );
  });

  it('overwrites a client date_sent and dialog_id in place', () => {
    const withDate = stanza('<message><body>x</body><extraParams><date_sent>1732511478000</date_sent><dialog_id>old</dialog_id></extraParams></message>');
    stampContent(withDate, { id: 'i', dateSent: 1732511478, dialogId: 'new' });
    expect(withDate.getChild('extraParams')?.toString()).toBe('<extraParams><date_sent>1732511478</date_sent><dialog_id>new</dialog_id></extraParams>');
  });
});

import { describe, expect, it } from 'vitest';
import { storedContentStanza } from './live-content.js';

const message = {
  appId: 42,
  dialogId: '64a1f0c2e4b0a1b2c3d4e5f6',
  id: '6744f3f61a2b3c04d5000000',
  senderId: 5,
  recipientId: 9,
  body: 'a < b & c',
  dateSent: 1_732_511_478,
  attachments: [{ uid: '9f1e', type: 'image', size: 48211, meta: { w: 1 }, 'bad key': 'x', gone: null }],
  custom: { customer_ref: 'A-17', nested: { level: 2, 'not a name': 1 }, '1st': 'dropped', 'with space': 'dropped', flag: true },
};

describe('storedContentStanza', () => {
  it('builds the content stanza of a stored message: id, body, extraParams in the SDK layout', () => {
    const stanza = storedContentStanza(message, 'chat', '5-42@chat.example');
    expect(stanza.attrs).toMatchObject({ type: 'chat', id: message.id, from: '5-42@chat.example' });
    expect(stanza.getChildText('body')).toBe('a < b & c');
    const extra = stanza.getChild('extraParams')!;
    expect(extra.getChildElements().map((child) => child.name)).toEqual(['save_to_history', 'dialog_id', 'attachment', 'customer_ref', 'nested', 'flag', 'date_sent']);
    expect(extra.getChildText('save_to_history')).toBe('1');
    expect(extra.getChildText('date_sent')).toBe('1732511478');
    expect(extra.getChild('attachment')!.attrs).toEqual({ uid: '9f1e', type: 'image', size: '48211', meta: '{"w":1}' });
    expect(extra.getChild('nested')!.getChildElements().map((child) => [child.name, child.getText()])).toEqual([['level', '2']]);
    expect(extra.getChildText('flag')).toBe('true');
    // Serialises to well-formed XML (text escaped, no invalid element names).
    expect(stanza.toString()).toContain('<body>a &lt; b &amp; c</body>');
  });

  it('leaves the body out when the message has none', () => {
    expect(storedContentStanza({ ...message, body: null }, 'groupchat', 'room/5').getChild('body')).toBeUndefined();
  });
});

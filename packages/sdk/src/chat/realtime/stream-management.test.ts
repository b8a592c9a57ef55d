import { afterEach, describe, expect, it, vi } from 'vitest';
import { contentMessage, chatState } from './stanzas.js';
import { SentMessageTracker } from './stream-management.js';
import type { MessageParams } from './types.js';
import { parseXml } from './xml.js';
import type { XmlElement } from './xml.js';

function tracker(send: (element: XmlElement) => Promise<void> = () => Promise.resolve()) {
  const written: string[] = [];
  const sent: MessageParams[] = [];
  const lost: MessageParams[] = [];
  const instance = new SentMessageTracker({
    send: (element) => {
      written.push(String(element));
      return send(element);
    },
    onSent: (message) => sent.push(message),
    onLost: (message) => lost.push(message),
    ackTimeoutMs: () => 30_000,
  });
  return { instance, written, sent, lost };
}

const nonza = (text: string) => parseXml(text)[0]!;
const message = (body: string) => contentMessage({ from: 'a', to: 'b', type: 'chat', id: body, body });

afterEach(() => {
  vi.useRealTimers();
});

describe('SentMessageTracker', () => {
  it('tracks nothing before <enabled/>, then reports acknowledged content messages oldest first', async () => {
    const { instance, written, sent } = tracker();
    instance.start();
    await instance.send(message('early'), { body: 'early' });
    instance.handleElement(nonza('<enabled xmlns="urn:xmpp:sm:3"/>'));
    const first = { body: 'one' };
    const second = { body: 'two' };
    await instance.send(message('one'), first);
    await instance.send(chatState({ from: 'a', to: 'b', type: 'chat', state: 'composing' }), { body: 'typing is not tracked' });
    await instance.send(message('two'), second);
    expect(written.filter((text) => text === '<r xmlns="urn:xmpp:sm:3"/>')).toHaveLength(2);
    instance.handleElement(nonza('<a xmlns="urn:xmpp:sm:3" h="1"/>'));
    expect(sent).toEqual([first]);
    instance.handleElement(nonza('<a xmlns="urn:xmpp:sm:3" h="3"/>'));
    expect(sent).toEqual([first, second]);
    instance.stop();
  });

  it('reports still-queued messages lost when no ack comes within the timeout after the last <a/>', async () => {
    vi.useFakeTimers();
    const { instance, lost } = tracker();
    instance.handleElement(nonza('<enabled xmlns="urn:xmpp:sm:3"/>'));
    const pending = { body: 'pending' };
    await instance.send(message('pending'), pending);
    instance.handleElement(nonza('<a xmlns="urn:xmpp:sm:3" h="0"/>'));
    vi.advanceTimersByTime(29_999);
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(lost).toEqual([pending]);
  });

  it('reports a message lost when the write fails', async () => {
    const { instance, lost } = tracker(() => Promise.reject(new Error('offline')));
    const failed = { body: 'x' };
    await instance.send(message('x'), failed);
    expect(lost).toEqual([failed]);
  });

  it('answers <r/> with the number of non-SM elements received since <enabled/>', () => {
    const { instance, written } = tracker();
    instance.handleElement(nonza('<message/>'));
    instance.handleElement(nonza('<enabled xmlns="urn:xmpp:sm:3"/>'));
    instance.handleElement(nonza('<message/>'));
    instance.handleElement(nonza('<presence/>'));
    instance.handleElement(nonza('<r xmlns="urn:xmpp:sm:3"/>'));
    expect(written.at(-1)).toBe('<a xmlns="urn:xmpp:sm:3" h="2"/>');
  });
});

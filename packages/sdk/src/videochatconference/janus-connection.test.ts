import { afterEach, describe, expect, it, vi } from 'vitest';
import { JanusConnection, JanusError, type JanusMessage } from './janus-connection.js';

/** A WebSocket double that records what is sent and lets the test answer like Janus. */
class FakeJanusSocket {
  static last: FakeJanusSocket | undefined;
  readyState = 0;
  sent: JanusMessage[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocol: string,
  ) {
    FakeJanusSocket.last = this;
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.();
    });
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as JanusMessage);
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
  reply(message: JanusMessage) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

async function connected() {
  const janus = new JanusConnection('ws://gw/conference', 'TOKEN', FakeJanusSocket as unknown as typeof WebSocket);
  await janus.open();
  return { janus, socket: FakeJanusSocket.last as FakeJanusSocket };
}

describe('JanusConnection (realtime.md §13.2–13.3)', () => {
  afterEach(() => vi.useRealTimers());

  it('opens with janus-protocol and sends the token and session id on every request', async () => {
    const { janus, socket } = await connected();
    expect(socket.protocol).toBe('janus-protocol');
    const created = janus.createSession();
    const create = socket.sent[0] as JanusMessage;
    expect(create).toEqual({ janus: 'create', transaction: expect.stringMatching(/^[A-Za-z0-9]{12}$/), token: 'TOKEN' });
    socket.reply({ janus: 'success', transaction: create.transaction, data: { id: 42 } });
    expect(await created).toBe(42);
    const attached = janus.attach();
    expect(socket.sent[1]).toMatchObject({ janus: 'attach', plugin: 'janus.plugin.videoroom', token: 'TOKEN', session_id: 42 });
    socket.reply({ janus: 'success', transaction: socket.sent[1]?.transaction, data: { id: 7 } });
    expect(await attached).toBe(7);
    janus.trickle(7, { completed: true });
    expect(socket.sent[2]).toMatchObject({ janus: 'trickle', handle_id: 7, session_id: 42, token: 'TOKEN', candidate: { completed: true } });
    janus.close();
  });

  it('settles a plugin message on its event, whether the ack comes first or last', async () => {
    const { janus, socket } = await connected();
    const events: JanusMessage[] = [];
    janus.onEvent = (message) => events.push(message);
    const first = janus.message(7, { request: 'join', room: 'r', ptype: 'publisher', id: 5 });
    const t1 = socket.sent[0]?.transaction;
    socket.reply({ janus: 'ack', transaction: t1 });
    socket.reply({ janus: 'event', transaction: t1, sender: 7, plugindata: { data: { videoroom: 'joined' } } });
    expect((await first).plugindata.data.videoroom).toBe('joined');

    const second = janus.message(7, { request: 'configure' }, { type: 'offer', sdp: 'v=0' });
    const t2 = socket.sent[1]?.transaction;
    expect(socket.sent[1]).toMatchObject({ jsep: { type: 'offer', sdp: 'v=0' }, body: { request: 'configure' } });
    socket.reply({ janus: 'event', transaction: t2, sender: 7, plugindata: { data: { configured: 'ok' } }, jsep: { type: 'answer', sdp: 'v=0' } });
    socket.reply({ janus: 'ack', transaction: t2 });
    expect((await second).jsep.type).toBe('answer');
    // Asynchronous news reaches the listener; the late ack is passed on and ignored by sessions.
    socket.reply({ janus: 'event', sender: 7, plugindata: { data: { videoroom: 'event', leaving: 9 } } });
    expect(events.map((e) => e.plugindata?.data?.leaving ?? e.janus)).toContain(9);
    janus.close();
  });

  it('rejects with "<code> <reason>" like janus.js, and all pending requests when the socket closes', async () => {
    const { janus, socket } = await connected();
    const refused = janus.message(7, { request: 'join', room: 'r', ptype: 'publisher', id: 5 });
    socket.reply({ janus: 'error', transaction: socket.sent[0]?.transaction, error: { code: 433, reason: 'Unauthorized (not invited to this meeting)' } });
    const error = await refused.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JanusError);
    expect(String((error as Error).message)).toBe('433 Unauthorized (not invited to this meeting)');
    const hanging = janus.request({ janus: 'keepalive' });
    socket.close();
    await expect(hanging).rejects.toThrow(/Lost connection/);
  });

  it('sends a keepalive every 25 seconds once the session exists', async () => {
    const { janus, socket } = await connected();
    vi.useFakeTimers();
    const created = janus.createSession();
    socket.reply({ janus: 'success', transaction: socket.sent[0]?.transaction, data: { id: 42 } });
    await created;
    vi.advanceTimersByTime(25_000);
    expect(socket.sent.at(-1)).toMatchObject({ janus: 'keepalive', session_id: 42, token: 'TOKEN' });
    janus.close();
  });
});

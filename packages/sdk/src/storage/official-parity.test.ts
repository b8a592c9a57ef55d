// The official SDK is the oracle: every storage call must send its URL, method, headers and body and
// read the response the same way. Multipart bodies are compared part by part (boundaries differ).
import { describe, it, expect, vi, beforeAll } from 'vitest';
import OfficialConnectyCube from 'connectycube';
import type { ConnectyCube } from '../connectycube.js';
import { TEST_API, TEST_APP_ID, TEST_CHAT_DOMAIN, TEST_TOKEN, recordingClient } from '../testing/recording-client.js';

type Storage = ConnectyCube['storage'];
type OfficialParams = Parameters<typeof OfficialConnectyCube.service.buildRequestAndURL>[0];

const UID = '4f1c9a0b2d3e4f5a6b7c8d9e0f1a2b3c00';
const UPLOAD_PARAMS = `${TEST_API}/blobs/upload?key=${UID}&Content-Type=image%2Fpng&Expires=1795607560&success_action_status=201&signature=ab%2Bc-d_e`;
const CREATED = { blob: { id: 46919, uid: UID, name: 'cat.png', content_type: 'image/png', blob_object_access: { params: UPLOAD_PARAMS } } };
const FILE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x0d, 0x0a]);

/** One call per line, written once and run on both SDKs. */
const CASES: Array<[string, (storage: Storage) => unknown]> = [
  ['list()', (s) => s.list()],
  ['list(paging)', (s) => s.list({ current_page: 2, per_page: 50 })],
  ['create(private)', (s) => s.create({ content_type: 'image/jpeg', name: 'cat.jpeg', public: false })],
  ['create(public)', (s) => s.create({ content_type: 'video/mp4', name: 'clip 1.mp4', public: true })],
  ['delete(id)', (s) => s.delete(46919)],
  ['delete("id")', (s) => s.delete('46919')],
  ['markUploaded', (s) => s.markUploaded({ id: 46919, size: 347 })],
  ['markUploaded(string size)', (s) => s.markUploaded({ id: 46919, size: '347' })],
  ['getInfo', (s) => s.getInfo(46919)],
  ['getFile', (s) => s.getFile(UID)],
  ['getFileObject(download_url)', (s) => s.getFileObject(UID, { download_url: '1' })],
  ['getFileObject()', (s) => s.getFileObject(UID, undefined as never)],
  ['update(name)', (s) => s.update({ id: 46919, name: 'new name.png' })],
];

interface Wire {
  url: string;
  method: string;
  headers: Record<string, string> | undefined;
  body: unknown;
  mode: string | undefined;
}

/** Part name → its value (text), or its bytes for the file. */
type Parts = Array<[string, string]>;

/** Parts of a `form-data` (official SDK in Node) body: `getBuffer()` holds the whole multipart text. */
function officialParts(form: { getBuffer(): Buffer; getBoundary(): string }): { parts: Parts; fileType: string | undefined; fileName: string | undefined } {
  const raw = form.getBuffer().toString('latin1');
  const parts: Parts = [];
  let fileType: string | undefined;
  let fileName: string | undefined;
  for (const section of raw.split(`--${form.getBoundary()}`).slice(1, -1)) {
    const [head = '', ...rest] = section.replace(/^\r\n/, '').split('\r\n\r\n');
    const name = /name="([^"]*)"/.exec(head)?.[1] ?? '';
    const value = rest.join('\r\n\r\n').replace(/\r\n$/, '');
    if (name === 'file') {
      fileType = /Content-Type: (.*)/i.exec(head)?.[1]?.trim();
      fileName = /filename="([^"]*)"/.exec(head)?.[1];
      parts.push([name, Buffer.from(value, 'latin1').toString('hex')]);
    } else {
      parts.push([name, value]);
    }
  }
  return { parts, fileType, fileName };
}

async function ourParts(form: FormData): Promise<{ parts: Parts; fileType: string | undefined }> {
  const parts: Parts = [];
  let fileType: string | undefined;
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      parts.push([name, value]);
    } else {
      fileType = value.type || 'application/octet-stream';
      parts.push([name, Buffer.from(await value.arrayBuffer()).toString('hex')]);
    }
  }
  return { parts, fileType };
}

/** Runs a call on the official SDK with its transport stubbed; returns every request it would send. */
async function officialWires(call: (storage: Storage) => unknown, reply: (index: number) => unknown = () => ({})): Promise<Wire[]> {
  const captured: OfficialParams[] = [];
  const ajax = vi.spyOn(OfficialConnectyCube.service, 'ajax').mockImplementation((params: OfficialParams) => {
    captured.push(params);
    return Promise.resolve(reply(captured.length - 1));
  });
  try {
    await call(OfficialConnectyCube.storage as unknown as Storage);
  } finally {
    ajax.mockRestore();
  }
  return captured.map((params) => {
    const [request, url] = OfficialConnectyCube.service.buildRequestAndURL(params);
    return { url, method: request.method, headers: request.headers as Record<string, string> | undefined, body: request.body, mode: (params as { dataType?: string }).dataType ?? 'json' };
  });
}

async function ourWires(call: (storage: Storage) => unknown, reply: (index: number) => unknown = () => ({})) {
  const { cc, calls } = recordingClient((_call, index) => ({ text: JSON.stringify(reply(index)) }));
  await call(cc.storage);
  return calls.map((sent) => ({ url: sent.url, method: sent.method, headers: sent.headers, body: sent.body as unknown, mode: sent.readAs }));
}

describe('storage against the official SDK', () => {
  beforeAll(() => {
    OfficialConnectyCube.init({ appId: TEST_APP_ID, token: TEST_TOKEN }, { endpoints: { api: 'unused.example', api_url: TEST_API, chat: TEST_CHAT_DOMAIN }, debug: { mode: 0 } });
  });

  it.each(CASES)('%s sends the same request and reads the response the same way', async (_name, call) => {
    const [theirs] = await officialWires(call);
    const ours = await ourWires(call);
    expect(ours).toEqual([theirs]);
  });

  it('createAndUpload: create, multipart upload to the signed URL, markUploaded — the same three requests', async () => {
    const call = (s: Storage) => s.createAndUpload({ name: 'cat.png', file: FILE, type: 'image/png', size: FILE.length });
    const reply = (index: number) => (index === 0 ? CREATED : index === 1 ? '' : '');
    const theirs = await officialWires(call, reply);
    const ours = await ourWires(call, reply);
    expect(ours).toHaveLength(3);
    expect(theirs).toHaveLength(3);
    const strip = (wire: Wire) => ({ ...wire, body: undefined });
    // create and markUploaded: byte for byte.
    expect(ours[0]).toEqual(theirs[0]);
    expect(ours[2]).toEqual(theirs[2]);
    // upload: same URL (no query, no .json), method, headers (no Content-Type: fetch sets the boundary), mode...
    expect(strip(ours[1] as Wire)).toEqual(strip(theirs[1] as Wire));
    expect(ours[1]?.url).toBe(`${TEST_API}/blobs/upload`);
    // ...and the same parts in the same order: the decoded query fields, then the file bytes.
    const official = officialParts(theirs[1]?.body as { getBuffer(): Buffer; getBoundary(): string });
    const mine = await ourParts(ours[1]?.body as FormData);
    expect(mine.parts).toEqual(official.parts);
    expect(mine.parts.map(([name]) => name)).toEqual(['key', 'Content-Type', 'Expires', 'success_action_status', 'signature', 'file']);
    expect(mine.parts[1]).toEqual(['Content-Type', 'image/png']);
    expect(mine.parts[4]).toEqual(['signature', 'ab+c-d_e']);
    expect(mine.fileType).toBe(official.fileType);
    // The one difference: FormData names a Blob part "blob"; form-data sends a Buffer without a file name.
    expect(official.fileName).toBeUndefined();
  });

  it('createAndUpload resolves with the created blob and the given size, like the official SDK', async () => {
    const call = (s: Storage) => s.createAndUpload({ name: 'cat.png', file: FILE, type: 'image/png', size: 8, public: false });
    const reply = (index: number) => (index === 0 ? CREATED : '');
    let theirs: unknown;
    let ours: unknown;
    await officialWires(async (s) => (theirs = await call(s)), reply);
    await ourWires(async (s) => (ours = await call(s)), reply);
    expect(ours).toEqual(theirs);
    expect(ours).toMatchObject({ id: 46919, size: 8 });
  });

  it('upload(params) with a browser File sends it as the file part', async () => {
    const file = new File([FILE], 'cat.png', { type: 'image/png' });
    const { cc, calls } = recordingClient(() => ({ text: '' }));
    await cc.storage.upload({ url: `${TEST_API}/blobs/upload`, data: { key: UID, file } });
    const form = calls[0]?.body as unknown as FormData;
    const part = form.get('file') as File;
    expect(part.name).toBe('cat.png');
    expect(part.type).toBe('image/png');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(FILE);
  });

  it.each([
    ['publicUrl', (s: Storage) => s.publicUrl(UID)],
    ['privateUrl', (s: Storage) => s.privateUrl(UID)],
    ['publicUrl()', (s: Storage) => s.publicUrl()],
  ])('%s builds the same URL', (_name, build) => {
    const { cc } = recordingClient();
    expect(build(cc.storage)).toBe(build(OfficialConnectyCube.storage as unknown as Storage));
  });

  it('privateUrl without a session says token=undefined, as the official SDK does', () => {
    const { cc } = recordingClient();
    cc.init({ appId: TEST_APP_ID }, { endpoints: { api_url: TEST_API } });
    expect(cc.storage.privateUrl(UID)).toBe(`${TEST_API}/blobs/${UID}?token=undefined`);
  });
});

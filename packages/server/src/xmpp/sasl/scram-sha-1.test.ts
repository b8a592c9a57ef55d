import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { encode as b64encode, decode as b64decode } from '@xmpp/base64';
import saslPlain from '@xmpp/sasl-plain';
import saslScramSha1 from '@xmpp/sasl-scram-sha-1';
import SASLFactory from 'saslmechanisms';
import { beforeAll, describe, expect, it } from 'vitest';
import { scramSha1Keys } from '../../domain/users/passwords.js';
import {
  decodeSaslName,
  decodeSaslPayload,
  encodeSaslPayload,
  parsePlain,
  ScramSha1Server,
  type ScramCredential,
  type ScramCredentialLookup,
  type ScramSha1ServerOptions,
} from './index.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

// RFC 5802 §5
const RFC = {
  user: 'user',
  password: 'pencil',
  cnonce: 'fyko+d2lbbFgONRv9qkxdawL',
  snonce: '3rfcNHYJY1ZVvWVs7j',
  salt: 'QSXCR+Q6sek8bf92',
  iterations: 4096,
  clientFirst: 'n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL',
  serverFirst: 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096',
  clientFinal: 'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=',
  serverFinal: 'v=rmF9pqV8S7suAoZWja4dJRkFsKQ=',
};

let rfcKeys: ScramCredential;
let otherSaltKeys: ScramCredential;
let tokenKeys: ScramCredential;

beforeAll(async () => {
  const salt = Buffer.from(RFC.salt, 'base64');
  rfcKeys = { id: 'password', ...(await scramSha1Keys(RFC.password, salt, RFC.iterations)) };
  tokenKeys = { id: 'token-1', ...(await scramSha1Keys('session-token-abc', salt, RFC.iterations)) };
  otherSaltKeys = { id: 'other-salt', ...(await scramSha1Keys(RFC.password, Buffer.from('another-salt'), RFC.iterations)) };
});

function server(credentials: () => readonly ScramCredential[], extra: Partial<ScramSha1ServerOptions> = {}) {
  const seen: string[] = [];
  const lookup: ScramCredentialLookup = async (username) => {
    seen.push(username);
    return credentials();
  };
  return { mech: new ScramSha1Server({ lookup, nonce: () => RFC.snonce, ...extra }), seen };
}

/** Computes a correct client-final-message for `password` (independent of the server code). */
async function clientFinalFor(password: string, clientFirstBare: string, serverFirst: string, gs2Header = 'n,,', nonceOverride?: string) {
  const attrs = Object.fromEntries(serverFirst.split(',').map((p) => [p[0], p.slice(2)]));
  const { storedKey } = await scramSha1Keys(password, Buffer.from(attrs.s as string, 'base64'), Number(attrs.i));
  const salted = pbkdf2Sync(password, Buffer.from(attrs.s as string, 'base64'), Number(attrs.i), 20, 'sha1');
  const clientKey = createHmac('sha1', salted).update('Client Key').digest();
  expect(createHash('sha1').update(clientKey).digest('base64')).toBe(storedKey);
  const withoutProof = `c=${Buffer.from(gs2Header).toString('base64')},r=${nonceOverride ?? attrs.r}`;
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const signature = createHmac('sha1', Buffer.from(storedKey, 'base64')).update(authMessage).digest();
  const proof = Buffer.from(clientKey.map((b, i) => b ^ (signature[i] as number)));
  return `${withoutProof},p=${proof.toString('base64')}`;
}

describe('ScramSha1Server — RFC 5802 §5 test vector', () => {
  it('produces the RFC server-first-message and server signature and names the matched candidate', async () => {
    const { mech, seen } = server(() => [rfcKeys]);
    const first = await mech.start(bytes(RFC.clientFirst));
    expect(first).toEqual({ ok: true, serverFirst: RFC.serverFirst });
    expect(seen).toEqual(['user']);
    const final = mech.finish(bytes(RFC.clientFinal));
    expect(final).toEqual({ ok: true, username: 'user', authzid: '', credentialId: 'password', serverFinal: RFC.serverFinal });
  });

  it('our independent client computation reproduces the RFC client proof', async () => {
    expect(await clientFinalFor(RFC.password, 'n=user,r=' + RFC.cnonce, RFC.serverFirst)).toBe(RFC.clientFinal);
  });

  it('refuses the RFC proof when the stored keys belong to another password', async () => {
    const { mech } = server(() => [tokenKeys]);
    await mech.start(bytes(RFC.clientFirst));
    expect(mech.finish(bytes(RFC.clientFinal))).toMatchObject({ ok: false, condition: 'not-authorized' });
  });
});

describe('ScramSha1Server — several candidates', () => {
  it('announces the first candidate salt and matches any candidate sharing it', async () => {
    const { mech } = server(() => [tokenKeys, rfcKeys]);
    expect(await mech.start(bytes(RFC.clientFirst))).toEqual({ ok: true, serverFirst: RFC.serverFirst });
    expect(mech.finish(bytes(RFC.clientFinal))).toMatchObject({ ok: true, credentialId: 'password', serverFinal: RFC.serverFinal });
  });

  it('a session token works as the password', async () => {
    const { mech } = server(() => [rfcKeys, tokenKeys]);
    const first = await mech.start(bytes(RFC.clientFirst));
    if (!first.ok) throw new Error(first.condition);
    const final = await clientFinalFor('session-token-abc', `n=user,r=${RFC.cnonce}`, first.serverFirst);
    expect(mech.finish(bytes(final))).toMatchObject({ ok: true, credentialId: 'token-1' });
  });

  it('ignores candidates with another salt (the client can only answer the announced one)', async () => {
    const { mech } = server(() => [tokenKeys, otherSaltKeys]);
    await mech.start(bytes(RFC.clientFirst));
    expect(mech.finish(bytes(RFC.clientFinal))).toMatchObject({ ok: false, condition: 'not-authorized' });
  });

  it('skips malformed candidates instead of throwing', async () => {
    const broken = [
      { id: 'x', salt: 'not base64!', iterations: 4096, storedKey: rfcKeys.storedKey, serverKey: rfcKeys.serverKey },
      { id: 'y', salt: RFC.salt, iterations: 0, storedKey: rfcKeys.storedKey, serverKey: rfcKeys.serverKey },
      { id: 'z', salt: RFC.salt, iterations: 4096, storedKey: 'AAAA', serverKey: rfcKeys.serverKey },
      null,
    ] as unknown as ScramCredential[];
    const { mech } = server(() => [...broken, rfcKeys]);
    expect(await mech.start(bytes(RFC.clientFirst))).toEqual({ ok: true, serverFirst: RFC.serverFirst });
    expect(mech.finish(bytes(RFC.clientFinal))).toMatchObject({ ok: true, credentialId: 'password' });
  });
});

describe('ScramSha1Server — unknown users and lookup failures', () => {
  it('gives unknown users a stable decoy challenge and fails with not-authorized', async () => {
    const a = server(() => [], { decoySecret: bytes('k') });
    const b = server(() => [], { decoySecret: bytes('k') });
    const firstA = await a.mech.start(bytes(RFC.clientFirst));
    const firstB = await b.mech.start(bytes(RFC.clientFirst));
    expect(firstA.ok).toBe(true);
    expect(firstA).toEqual(firstB);
    if (!firstA.ok) throw new Error('unreachable');
    expect(firstA.serverFirst).toMatch(/^r=fyko\+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=[A-Za-z0-9+/]+=*,i=4096$/);
    const final = await clientFinalFor(RFC.password, `n=user,r=${RFC.cnonce}`, firstA.serverFirst);
    expect(a.mech.finish(bytes(final))).toMatchObject({ ok: false, condition: 'not-authorized' });
  });

  it('maps a rejecting or throwing lookup to temporary-auth-failure', async () => {
    const rejecting = new ScramSha1Server({ lookup: () => Promise.reject(new Error('db down')) });
    expect(await rejecting.start(bytes(RFC.clientFirst))).toMatchObject({ ok: false, condition: 'temporary-auth-failure' });
    const throwing = new ScramSha1Server({
      lookup: () => {
        throw new Error('sync');
      },
    });
    expect(await throwing.start(bytes(RFC.clientFirst))).toMatchObject({ ok: false, condition: 'temporary-auth-failure' });
  });

  it('refuses a bad injected nonce generator gracefully', async () => {
    const { mech } = server(() => [rfcKeys], { nonce: () => 'has,comma' });
    expect(await mech.start(bytes(RFC.clientFirst))).toMatchObject({ ok: false, condition: 'temporary-auth-failure' });
  });

  it('default server nonces are random printable base64 without commas', async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const mech = new ScramSha1Server({ lookup: async () => [rfcKeys] });
      const first = await mech.start(bytes(RFC.clientFirst));
      if (!first.ok) throw new Error(first.condition);
      const r = first.serverFirst.split(',')[0]!.slice(2);
      expect(r.startsWith(RFC.cnonce)).toBe(true);
      const snonce = r.slice(RFC.cnonce.length);
      expect(snonce).toMatch(/^[A-Za-z0-9+/=]{24}$/);
      nonces.add(snonce);
    }
    expect(nonces.size).toBe(5);
  });
});

describe('ScramSha1Server — gs2 header, authzid and username', () => {
  it('accepts the y flag and echoes it in c=', async () => {
    const { mech } = server(() => [rfcKeys]);
    const first = await mech.start(bytes(`y,,n=user,r=${RFC.cnonce}`));
    if (!first.ok) throw new Error(first.condition);
    const final = await clientFinalFor(RFC.password, `n=user,r=${RFC.cnonce}`, first.serverFirst, 'y,,');
    expect(mech.finish(bytes(final))).toMatchObject({ ok: true });
  });

  it('rejects c= that does not match the gs2 header', async () => {
    const { mech } = server(() => [rfcKeys]);
    const first = await mech.start(bytes(`y,,n=user,r=${RFC.cnonce}`));
    if (!first.ok) throw new Error(first.condition);
    const final = await clientFinalFor(RFC.password, `n=user,r=${RFC.cnonce}`, first.serverFirst, 'n,,');
    expect(mech.finish(bytes(final))).toMatchObject({ ok: false, condition: 'not-authorized' });
  });

  it('returns a decoded authzid and escaped username', async () => {
    const { mech, seen } = server(() => [rfcKeys]);
    const first = await mech.start(bytes(`n,a=5-42@chat=2Cx,n=us=3Der=2C,r=${RFC.cnonce}`));
    if (!first.ok) throw new Error(first.condition);
    expect(seen).toEqual(['us=er,']);
    const final = await clientFinalFor(RFC.password, `n=us=3Der=2C,r=${RFC.cnonce}`, first.serverFirst, 'n,a=5-42@chat=2Cx,');
    expect(mech.finish(bytes(final))).toMatchObject({ ok: true, username: 'us=er,', authzid: '5-42@chat,x' });
  });

  it('decodeSaslName only knows =2C and =3D', () => {
    expect(decodeSaslName('a=2Cb=3Dc')).toBe('a,b=c');
    expect(decodeSaslName('a=2c')).toBeUndefined();
    expect(decodeSaslName('a=41')).toBeUndefined();
    expect(decodeSaslName('a=')).toBeUndefined();
  });
});

describe('ScramSha1Server — bad input never throws', () => {
  const badFirst: [string, string | Uint8Array][] = [
    ['empty', ''],
    ['garbage', 'hello world'],
    ['binary garbage', new Uint8Array([0xff, 0x00, 0xfe, 0x2c, 0x2c])],
    ['only gs2 header', 'n,,'],
    ['channel binding requested', `p=tls-unique,,n=user,r=${RFC.cnonce}`],
    ['unknown gs2 flag', `x,,n=user,r=${RFC.cnonce}`],
    ['missing gs2 header', `n=user,r=${RFC.cnonce}`],
    ['bad authzid attribute', `n,b=x,n=user,r=${RFC.cnonce}`],
    ['empty authzid value', `n,a=,n=user,r=${RFC.cnonce}`],
    ['mandatory extension', `n,,m=ext,n=user,r=${RFC.cnonce}`],
    ['missing username', `n,,r=${RFC.cnonce},x=1`],
    ['empty username', `n,,n=,r=${RFC.cnonce}`],
    ['bad username escape', `n,,n=us=41er,r=${RFC.cnonce}`],
    ['missing nonce', 'n,,n=user,x=1'],
    ['empty nonce', 'n,,n=user,r='],
    ['nonce with control char', 'n,,n=user,r=ab\u0001c'],
    ['bad extension', `n,,n=user,r=${RFC.cnonce},garbage`],
    ['oversized', `n,,n=user,r=${'a'.repeat(5000)}`],
  ];
  it.each(badFirst)('client-first: %s → malformed-request', async (_name, input) => {
    const { mech, seen } = server(() => [rfcKeys]);
    const result = await mech.start(typeof input === 'string' ? bytes(input) : input);
    expect(result).toMatchObject({ ok: false, condition: 'malformed-request' });
    expect(seen).toEqual([]);
    // the exchange is over
    expect(mech.finish(bytes(RFC.clientFinal))).toMatchObject({ ok: false, condition: 'malformed-request' });
  });

  const proof = RFC.clientFinal.split(',p=')[1]!;
  const nonce = `${RFC.cnonce}${RFC.snonce}`;
  const badFinal: [string, string | Uint8Array, string][] = [
    ['empty', '', 'malformed-request'],
    ['garbage', 'garbage', 'malformed-request'],
    ['binary garbage', new Uint8Array([0xc3, 0x28, 0x2c]), 'malformed-request'],
    ['missing c=', `r=${nonce},p=${proof}`, 'malformed-request'],
    ['missing r=', `c=biws,p=${proof}`, 'malformed-request'],
    ['missing p=', `c=biws,r=${nonce}`, 'malformed-request'],
    ['p= not last', `c=biws,r=${nonce},p=${proof},x=1`, 'malformed-request'],
    ['bad extension', `c=biws,r=${nonce},oops,p=${proof}`, 'malformed-request'],
    ['duplicate proof', `c=biws,r=${nonce},p=${proof},p=${proof}`, 'malformed-request'],
    ['c= not base64', `c=bi ws,r=${nonce},p=${proof}`, 'malformed-request'],
    ['proof not base64', `c=biws,r=${nonce},p=***`, 'malformed-request'],
    ['proof too short', `c=biws,r=${nonce},p=AAAA`, 'malformed-request'],
    ['oversized', `c=biws,r=${nonce},x=${'a'.repeat(5000)},p=${proof}`, 'malformed-request'],
    ['nonce mismatch (client part only)', `c=biws,r=${RFC.cnonce},p=${proof}`, 'not-authorized'],
    ['nonce mismatch (tampered server part)', `c=biws,r=${RFC.cnonce}XXXX,p=${proof}`, 'not-authorized'],
    ['channel binding data for y', `c=eSws,r=${nonce},p=${proof}`, 'not-authorized'],
    ['channel binding data for p', `c=${Buffer.from('p=tls-unique,,').toString('base64')},r=${nonce},p=${proof}`, 'not-authorized'],
    ['wrong proof', `c=biws,r=${nonce},p=${Buffer.alloc(20, 1).toString('base64')}`, 'not-authorized'],
  ];
  it.each(badFinal)('client-final: %s → %s', async (_name, input, condition) => {
    const { mech } = server(() => [rfcKeys]);
    expect((await mech.start(bytes(RFC.clientFirst))).ok).toBe(true);
    expect(mech.finish(typeof input === 'string' ? bytes(input) : input)).toMatchObject({ ok: false, condition });
    // a retry after a failure is refused too
    expect(mech.finish(bytes(RFC.clientFinal))).toMatchObject({ ok: false, condition: 'malformed-request' });
  });

  it('refuses steps out of order and non-byte input', async () => {
    const { mech } = server(() => [rfcKeys]);
    expect(mech.finish(bytes(RFC.clientFinal))).toMatchObject({ ok: false, condition: 'malformed-request' });
    expect(await mech.start(bytes(RFC.clientFirst))).toMatchObject({ ok: false, condition: 'malformed-request' });

    const again = server(() => [rfcKeys]).mech;
    expect(await again.start(bytes(RFC.clientFirst))).toMatchObject({ ok: true });
    expect(await again.start(bytes(RFC.clientFirst))).toMatchObject({ ok: false, condition: 'malformed-request' });

    const odd = server(() => [rfcKeys]).mech;
    expect(await odd.start(null as unknown as Uint8Array)).toMatchObject({ ok: false, condition: 'malformed-request' });
  });
});

describe('interop with the xmpp.js 0.14 client mechanisms (as registered by @xmpp/client)', () => {
  const factory = new SASLFactory();
  saslScramSha1(factory);
  saslPlain(factory);
  const creds = (password: string) => ({
    username: '5-42',
    password,
    server: 'chat.parley.example',
    host: 'chat.parley.example',
    realm: 'chat.parley.example',
    serviceType: 'xmpp',
    serviceName: 'chat.parley.example',
  });

  let userKeys: ScramCredential[];
  beforeAll(async () => {
    const salt = Buffer.from('0123456789abcdef');
    userKeys = [
      { id: 'password', ...(await scramSha1Keys('secret-pwd', salt, 4096)) },
      { id: 'token:t1', ...(await scramSha1Keys('0a1b2c3d4e5f', salt, 4096)) },
    ];
  });

  async function exchange(password: string) {
    const client = factory.create(['SCRAM-SHA-1']);
    if (!client) throw new Error('SCRAM-SHA-1 not registered');
    const seen: string[] = [];
    const mech = new ScramSha1Server({
      lookup: async (u) => {
        seen.push(u);
        return u === '5-42' ? userKeys : [];
      },
    });
    const c = creds(password);
    // <auth mechanism="SCRAM-SHA-1">…</auth>
    const auth = b64encode(await client.response(c));
    const authBytes = decodeSaslPayload(auth);
    if (!authBytes.ok || !authBytes.bytes) throw new Error('bad auth payload');
    const challenge = await mech.start(authBytes.bytes);
    if (!challenge.ok) throw new Error(challenge.condition);
    // <challenge>…</challenge> → client → <response>…</response>
    await client.challenge(b64decode(encodeSaslPayload(challenge.serverFirst)));
    const response = decodeSaslPayload(b64encode(await client.response(c)));
    if (!response.ok || !response.bytes) throw new Error('bad response payload');
    const outcome = mech.finish(response.bytes);
    return { client: client as unknown as { _serverSignature?: Uint8Array }, outcome, seen };
  }

  it('SCRAM-SHA-1 with the right password: success, and the client accepts the server signature', async () => {
    const { client, outcome, seen } = await exchange('secret-pwd');
    expect(seen).toEqual(['5-42']);
    expect(outcome).toMatchObject({ ok: true, username: '5-42', authzid: '', credentialId: 'password' });
    if (!outcome.ok) throw new Error('unreachable');
    // @xmpp/sasl does not check v= itself; verify it the way an RFC 5802 client must.
    const wire = b64decode(encodeSaslPayload(outcome.serverFinal));
    expect(wire.startsWith('v=')).toBe(true);
    expect(Buffer.from(wire.slice(2), 'base64').equals(Buffer.from(client._serverSignature ?? []))).toBe(true);
  });

  it('SCRAM-SHA-1 with a session token as the password', async () => {
    const { outcome } = await exchange('0a1b2c3d4e5f');
    expect(outcome).toMatchObject({ ok: true, credentialId: 'token:t1' });
  });

  it('SCRAM-SHA-1 with a wrong password: not-authorized', async () => {
    const { outcome } = await exchange('wrong');
    expect(outcome).toMatchObject({ ok: false, condition: 'not-authorized' });
  });

  it('PLAIN: the client message parses to the credentials it was given', async () => {
    const client = factory.create(['PLAIN']);
    if (!client) throw new Error('PLAIN not registered');
    const decoded = decodeSaslPayload(b64encode(await client.response(creds('secret-pwd'))));
    if (!decoded.ok || !decoded.bytes) throw new Error('bad auth payload');
    expect(text(decoded.bytes)).toBe('\u00005-42\u0000secret-pwd');
    expect(parsePlain(decoded.bytes)).toEqual({ ok: true, authzid: '', authcid: '5-42', password: 'secret-pwd' });
  });

  it('the client prefers SCRAM-SHA-1 over PLAIN when both are registered', () => {
    expect(factory.create(['PLAIN', 'SCRAM-SHA-1'])?.name).toBe('SCRAM-SHA-1');
  });
});

import { describe, expect, it } from 'vitest';
import { BlobLinks } from './blob-links.js';

const UID = '8f3c0a1b2c3d4e5f60718293a4b5c6d7';

function links(publicUrl = '', listen?: string): BlobLinks {
  const result = new BlobLinks(publicUrl);
  if (listen) result.addListenUrl(listen);
  return result;
}

describe('BlobLinks: the token of links to this server’s files', () => {
  it('strips the token from links on the public URL’s host, keeping the rest of the link as sent', () => {
    const own = links('https://chat.example.com');
    expect(own.strip(`https://chat.example.com/blobs/${UID}?token=abc`)).toBe(`https://chat.example.com/blobs/${UID}`);
    expect(own.strip(`https://CHAT.example.com:443/blobs/${UID}?a=1&token=abc&b=2#frag`)).toBe(`https://CHAT.example.com:443/blobs/${UID}?a=1&b=2#frag`);
    expect(own.strip(`https://chat.example.com/blobs/${UID}.json?tok%65n=abc&token=def`)).toBe(`https://chat.example.com/blobs/${UID}.json`);
    expect(own.strip(`https://chat.example.com/x/../blobs/${UID}?token=abc`)).toBe(`https://chat.example.com/x/../blobs/${UID}`);
  });

  it('honours a path prefix of the public URL', () => {
    const own = links('https://example.com/parley/');
    expect(own.strip(`https://example.com/parley/blobs/${UID}?token=abc`)).toBe(`https://example.com/parley/blobs/${UID}`);
  });

  it('strips relative links to /blobs/', () => {
    const own = links();
    expect(own.strip(`/blobs/${UID}?token=abc`)).toBe(`/blobs/${UID}`);
    expect(own.strip(`blobs/${UID}?size=2&token=abc`)).toBe(`blobs/${UID}?size=2`);
  });

  it('knows the listening address once bound, with the loopback names for a loopback bind', () => {
    const own = links('', 'http://127.0.0.1:40123');
    expect(own.strip(`http://127.0.0.1:40123/blobs/${UID}?token=abc`)).toBe(`http://127.0.0.1:40123/blobs/${UID}`);
    expect(own.strip(`http://localhost:40123/blobs/${UID}?token=abc`)).toBe(`http://localhost:40123/blobs/${UID}`);
    expect(own.strip(`http://localhost:40124/blobs/${UID}?token=abc`)).toBe(`http://localhost:40124/blobs/${UID}?token=abc`);
  });

  it('leaves links elsewhere, other paths and other schemes untouched', () => {
    const own = links('https://chat.example.com', 'http://127.0.0.1:40123');
    for (const value of [
      `https://cdn.example.net/blobs/${UID}?token=abc`,
      `https://chat.example.com.evil.test/blobs/${UID}?token=abc`,
      `//cdn.example.net/blobs/${UID}?token=abc`,
      `https://chat.example.com/other/${UID}?token=abc`,
      `https://chat.example.com/blobsX/${UID}?token=abc`,
      `ftp://chat.example.com/blobs/${UID}?token=abc`,
      `https://chat.example.com/blobs/${UID}?tokens=abc`,
      'not a url at all ?token=1',
      'http://[bad/blobs/x?token=1',
    ]) {
      expect(own.strip(value)).toBe(value);
    }
  });

  it('strips strings anywhere in nested values and keeps other values', () => {
    const own = links('https://chat.example.com');
    const link = `https://chat.example.com/blobs/${UID}?token=abc`;
    expect(own.stripDeep({ url: link, size: 3, nested: { list: [link, null, true] } })).toEqual({
      url: `https://chat.example.com/blobs/${UID}`,
      size: 3,
      nested: { list: [`https://chat.example.com/blobs/${UID}`, null, true] },
    });
  });

  it('ignores a public URL that is not a URL', () => {
    expect(links('not a url').strip(`https://x.test/blobs/${UID}?token=abc`)).toBe(`https://x.test/blobs/${UID}?token=abc`);
  });
});

/** 4 or 6 for an IP literal, 0 otherwise (like node:net isIP, which ports may not import). */
export function ipFamily(text: string): 0 | 4 | 6 {
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(text)) return 4;
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return 0;
  return expandV6(text.toLowerCase()) ? 6 : 0;
}

/**
 * Static checks of a Web Push endpoint (server-side request forgery guard, part 1): https only, and no
 * IP literal in a loopback, private, link-local or otherwise non-public range. Names are checked again
 * where they resolve, at send time (adapters/push-webpush). Returns the problem, or undefined.
 */
export function checkWebEndpoint(endpoint: string, allowPrivate: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'must be a URL';
  }
  if (url.protocol !== 'https:') return 'must be an https URL';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  if (allowPrivate) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point to this machine';
  if (ipFamily(host) !== 0 && !isPublicAddress(host)) return 'must not point to a private, loopback or link-local address';
  return undefined;
}

/** Whether an IP address (v4 or v6) is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  const family = ipFamily(address);
  if (family === 4) return isPublicV4(address);
  if (family !== 6) return false;
  const lower = address.toLowerCase();
  // IPv4-mapped / compatible addresses are judged by their IPv4 part.
  const mapped = /^(?:0*:)*(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/.exec(lower) ?? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped?.[1]) return isPublicV4(mapped[1]);
  const groups = expandV6(lower);
  if (!groups) return false;
  const first = groups[0] ?? 0;
  if (groups.every((group) => group === 0)) return false; // ::
  if (groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1) return false; // ::1
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) return false; // other mapped forms
  if ((first & 0xfe00) === 0xfc00) return false; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return false; // fe80::/10 link-local
  if ((first & 0xffc0) === 0xfec0) return false; // fec0::/10 site-local (deprecated)
  if ((first & 0xff00) === 0xff00) return false; // multicast
  if (first === 0x2001 && groups[1] === 0x0db8) return false; // documentation
  if (first === 0x0064 && groups[1] === 0xff9b) return false; // NAT64 may reach private IPv4
  return true;
}

function isPublicV4(address: string): boolean {
  const [a = 0, b = 0, c = 0] = address.split('.').map(Number);
  if (a === 0 || a === 10 || a === 127) return false;
  if (a === 100 && b >= 64 && b <= 127) return false; // carrier-grade NAT
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false;
  if (a === 198 && (b === 18 || b === 19)) return false;
  if (a === 198 && b === 51 && c === 100) return false;
  if (a === 203 && b === 0 && c === 113) return false;
  if (a >= 224) return false; // multicast, reserved, broadcast
  return true;
}

function expandV6(address: string): number[] | undefined {
  // A trailing dotted IPv4 part stands for the last two groups.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = (dotted[2] as string).split('.').map(Number);
    if ([a, b, c, d].some((n) => n > 255)) return undefined;
    address = `${dotted[1] as string}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  if (address.split('::').length > 2) return undefined;
  const [head = '', tail] = address.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  const groups = [...left, ...Array<number>(missing).fill(0), ...right];
  return groups.some((group) => Number.isNaN(group) || group < 0 || group > 0xffff) ? undefined : groups;
}

/**
 * Limits of the XML stream parser. Every limit breach is a `policy-violation` stream error.
 * Defaults follow realtime.md §3.1 (stanza size) and design.md §5.
 */
export interface XmlStreamLimits {
  /** Largest top-level element (stanza, `<open/>`, stream header) in UTF-8 bytes. Default 256 KiB. */
  maxStanzaBytes: number;
  /** Deepest element nesting inside one stanza (the stanza itself is depth 1). Default 64. */
  maxDepth: number;
  /** Most attributes on one element. Default 64. */
  maxAttributes: number;
  /** Bytes accepted on the stream before the caller calls `authenticated()`. Default 64 KiB. */
  maxBytesBeforeAuth: number;
}

export const DEFAULT_XML_STREAM_LIMITS: Readonly<XmlStreamLimits> = Object.freeze({
  maxStanzaBytes: 256 * 1024,
  maxDepth: 64,
  maxAttributes: 64,
  maxBytesBeforeAuth: 64 * 1024,
});

export function resolveLimits(overrides: Partial<XmlStreamLimits> = {}): XmlStreamLimits {
  const limits = { ...DEFAULT_XML_STREAM_LIMITS, ...overrides };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`XML stream limit ${key} must be a positive integer`);
  }
  return limits;
}

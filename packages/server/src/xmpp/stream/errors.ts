/**
 * Stream error conditions the XML stream parser reports (RFC 6120 §4.9.3). The face that owns the
 * socket turns one into `<stream:error>` + close; the parser itself never writes.
 */
export type StreamErrorCondition =
  | 'not-well-formed'
  | 'policy-violation'
  | 'restricted-xml'
  | 'unsupported-encoding';

export interface StreamError {
  condition: StreamErrorCondition;
  /** Human-readable detail for the `<text>` child and logs; never echoes client bytes. */
  text: string;
}

export const streamError = (condition: StreamErrorCondition, text: string): StreamError => ({ condition, text });

import { readFileSync } from 'node:fs';
import https from 'node:https';
import { rootCertificates } from 'node:tls';

export interface ProviderTlsOptions {
  /** PEM file of extra certificate authorities to trust besides the system ones ('' = none). */
  caFile: string;
}

/**
 * The certificate authorities provider connections trust: Node's (which include NODE_EXTRA_CA_CERTS)
 * plus the configured file. Verification is never turned off.
 */
export function trustedCas(options: ProviderTlsOptions): string[] | undefined {
  if (options.caFile === '') return undefined;
  return [...rootCertificates, readFileSync(options.caFile, 'utf8')];
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request with a bounded time; rejects on network errors. */
export function httpsRequest(url: string, init: { method: string; headers: Record<string, string>; body?: string; agent: https.Agent; timeoutMs: number }): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method: init.method, headers: init.headers, agent: init.agent, timeout: init.timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('provider request timed out')));
    request.on('error', reject);
    request.end(init.body);
  });
}

/** Retry-After (seconds or an HTTP date) in ms, when present. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Whether a status means "try again later" (throttled or the provider is having trouble). */
export const isTransientStatus = (status: number) => status === 408 || status === 429 || status >= 500;

import { BusUnavailable, type BusHandler } from '../../ports/bus.js';

/** Calls one handler; a throw or a rejection goes to `onError`, never to the broker's callback. */
export function runHandler(handler: BusHandler, payload: string, onError: ((error: unknown) => void) | undefined): void {
  try {
    const result = handler(payload);
    if (result instanceof Promise) result.catch((error: unknown) => onError?.(error));
  } catch (error) {
    onError?.(error);
  }
}

export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BusUnavailable(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

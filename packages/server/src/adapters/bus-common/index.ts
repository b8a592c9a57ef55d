import { BusUnavailable, nodeChannel, subjectChannel, type Bus, type BusHandler, type BusSubscription } from '../../ports/bus.js';

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

/**
 * The bus's four addressing methods over a broker's channels: a node's inbox and user subjects are
 * channels under the namespace, so every broker adapter only publishes and subscribes to channel names.
 */
export function channelAddressing(
  namespace: string,
  nodeId: string,
  channels: { publish(channel: string, payload: string): Promise<void>; subscribe(channel: string, handler: BusHandler): Promise<BusSubscription> },
): Pick<Bus, 'publishToNode' | 'publishToSubject' | 'subscribeNode' | 'subscribeSubject'> {
  return {
    publishToNode: async (target, payload) => channels.publish(nodeChannel(namespace, target), payload),
    publishToSubject: async (subject, payload) => channels.publish(subjectChannel(namespace, subject), payload),
    subscribeNode: async (handler) => channels.subscribe(nodeChannel(namespace, nodeId), handler),
    subscribeSubject: async (subject, handler) => channels.subscribe(subjectChannel(namespace, subject), handler),
  };
}

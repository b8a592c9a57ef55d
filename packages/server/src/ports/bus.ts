import type { ClusterState } from './cluster-state.js';

/**
 * The cluster bus: short-lived hints between Parley nodes ("look: user 7 has a new message"). The
 * durable record is always in the store; a node acts on a hint by reading the store, and a lost hint
 * costs latency (the offline queue, history and the next sync still have everything), never data.
 *
 * Addresses:
 * - a node's inbox (`publishToNode` / `subscribeNode`): everything one node wants another to do;
 * - a subject (`publishToSubject` / `subscribeSubject`), e.g. `user.42-1`: whoever watches it, on any node.
 *
 * Guarantees every adapter gives:
 * - ordering: hints one node publishes to one address reach each subscriber of that address in the
 *   order they were published (per recipient, per subject). Nothing is promised across publishers or
 *   across addresses;
 * - at most once: a hint reaches each subscriber that was subscribed when it was published once or
 *   not at all (the broker being away, a slow subscriber dropped, a node dying). It is never replayed
 *   after a reconnect;
 * - fan-out: every current subscriber of an address gets the hint, including ones on the publishing
 *   node (one code path for one node and for many);
 * - `publish*` resolves once the hint left this process (or was handed to local subscribers); it
 *   rejects with `BusUnavailable` when the broker is unreachable, and never waits for a subscriber;
 * - a handler that throws or rejects is reported to `onHandlerError` and affects nobody else;
 * - after `unsubscribe()` resolves the handler is not called again.
 */
export interface Bus {
  /** Which adapter: `local`, `redis` or `nats`. */
  readonly kind: BusKind;
  /** This node's id (PARLEY_NODE_ID); its inbox address. */
  readonly nodeId: string;
  /** Keys with a TTL on the same broker (presence and session leases). */
  readonly state: ClusterState;
  publishToNode(nodeId: string, payload: string): Promise<void>;
  publishToSubject(subject: string, payload: string): Promise<void>;
  /** This node's inbox. */
  subscribeNode(handler: BusHandler): Promise<BusSubscription>;
  subscribeSubject(subject: string, handler: BusHandler): Promise<BusSubscription>;
  /** Resolves when the broker answers within `timeoutMs`; rejects with the reason otherwise. */
  ping(timeoutMs: number): Promise<void>;
  /** Drops every subscription and the broker connections. */
  close(): Promise<void>;
}

export type BusKind = 'local' | 'redis' | 'nats';

export type BusHandler = (payload: string) => void | Promise<void>;

export interface BusSubscription {
  unsubscribe(): Promise<void>;
}

export interface BusOptions {
  nodeId: string;
  /** Prefix of every channel and key, so several clusters (or test runs) can share one broker. */
  namespace: string;
  /** Where handler failures go (the logger); they never reach the publisher. */
  onHandlerError?: (error: unknown) => void;
  /** Connection trouble with the broker (the adapter keeps reconnecting on its own). */
  onBrokerError?: (error: unknown) => void;
}

/** The broker cannot be reached: the hint was not sent. */
export class BusUnavailable extends Error {
  override name = 'BusUnavailable';
}

/** A node id, namespace or subject the bus refuses: checked before anything is sent. */
export class InvalidBusAddress extends Error {
  override name = 'InvalidBusAddress';
}

/** Node ids and namespaces: one token. */
export const BUS_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Subjects: dot-separated tokens (`user.42-1`), no wildcards, at most 200 characters. */
export const BUS_SUBJECT_PATTERN = /^(?=.{1,200}$)[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export function checkToken(what: string, value: string): string {
  if (typeof value !== 'string' || !BUS_TOKEN_PATTERN.test(value)) throw new InvalidBusAddress(`invalid ${what}: ${JSON.stringify(value)}`);
  return value;
}

export function checkSubject(subject: string): string {
  if (typeof subject !== 'string' || !BUS_SUBJECT_PATTERN.test(subject)) throw new InvalidBusAddress(`invalid subject: ${JSON.stringify(subject)}`);
  return subject;
}

/** Channel names shared by the adapters: `<namespace>.node.<id>` and `<namespace>.subject.<subject>`. */
export function nodeChannel(namespace: string, nodeId: string): string {
  return `${checkToken('namespace', namespace)}.node.${checkToken('node id', nodeId)}`;
}

export function subjectChannel(namespace: string, subject: string): string {
  return `${checkToken('namespace', namespace)}.subject.${checkSubject(subject)}`;
}

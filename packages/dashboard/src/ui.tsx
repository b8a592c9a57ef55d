import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';

/** A failed call, said plainly, with a way to try again. */
export function ErrorNote({ error, onRetry }: { error: string; onRetry?: () => void }) {
  return (
    <div className="note error" role="alert">
      <span>{error}</span>
      {onRetry && (
        <button type="button" className="link" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function Loading() {
  return (
    <p className="muted" role="status">
      Loading…
    </p>
  );
}

/** A short-lived confirmation of what just happened, read out by screen readers. */
export function Notice({ text }: { text: string }) {
  return (
    <p className="note ok" role="status">
      {text}
    </p>
  );
}

/**
 * Asks before a destructive action, in a modal <dialog> (focus moves into it, Escape cancels).
 * `confirm` resolves true only when the operator pressed the red button.
 */
export function useConfirm(): [(message: string, action: string) => Promise<boolean>, ReactNode] {
  const [request, setRequest] = useState<{ message: string; action: string; resolve: (ok: boolean) => void } | undefined>();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    if (request && ref.current && !ref.current.open) ref.current.showModal();
  }, [request]);
  const close = (ok: boolean) => {
    request?.resolve(ok);
    ref.current?.close();
    setRequest(undefined);
  };
  const confirm = useCallback((message: string, action: string) => new Promise<boolean>((resolve) => setRequest({ message, action, resolve })), []);
  const element = request ? (
    <dialog ref={ref} className="confirm" aria-labelledby={titleId} onCancel={() => close(false)}>
      <p id={titleId}>{request.message}</p>
      <div className="row end">
        <button type="button" autoFocus onClick={() => close(false)}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => close(true)}>
          {request.action}
        </button>
      </div>
    </dialog>
  ) : null;
  return [confirm, element];
}

/** Loads data for a screen: `data`, `error`, `reload`. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: string; loading: boolean; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load().then(
      (value) => {
        if (!live) return;
        setData(value);
        setError('');
        setLoading(false);
      },
      (failure: Error) => {
        if (!live) return;
        setError(failure.message);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { data, error, loading, reload: () => setTick((value) => value + 1) };
}

/** Runs an action, keeping its error and a success line for the screen to show. */
export function useAction(): { run: (action: () => Promise<unknown>, done?: string) => Promise<boolean>; clear: () => void; error: string; notice: string; busy: boolean } {
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>, done = '') => {
    setBusy(true);
    setError('');
    setNotice('');
    try {
      await action();
      setNotice(done);
      return true;
    } catch (failure) {
      setError((failure as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const clear = () => {
    setError('');
    setNotice('');
  };
  return { run, clear, error, notice, busy };
}

export function formatDate(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

// Debug logging switched by `init(…, {debug: {mode: 1}})`; read on every call so a re-init applies.

export function debugLog(debug: { mode: number | boolean }, ...args: unknown[]): void {
  if (debug.mode === 1 || debug.mode === true) console.log('[ConnectyCube]', ...args);
}

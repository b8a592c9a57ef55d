// The server as ADR 0001 ran it (tsx's loader over the sources), for A/B runs against the bundle (ADR 0023):
//   BENCH_SERVER_BIN=bench/lib/tsx-server.mjs npm run bench:startup
import { register } from 'tsx/esm/api';

register();
await import('../../packages/server/src/main.ts');

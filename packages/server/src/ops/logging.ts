import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON-lines logger shared by the CLI and Fastify; secrets in headers are redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['req.headers["cb-token"]', 'req.headers["cb-authkey"]', 'req.headers.authorization'], censor: '[redacted]' },
  });
}

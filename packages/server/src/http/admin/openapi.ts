import { appSettingDefinitions } from '../../domain/apps/settings.js';
import type { AdminOperation, JsonSchema } from './registry.js';

const errorSchema: JsonSchema = {
  type: 'object',
  description: 'The ConnectyCube error body: {"errors": {...}} or {"errors": ["…"]}',
  properties: { errors: {} },
};

/** The OpenAPI 3.1 document of the admin API, built from the registered operations. */
export function openApiDocument(operations: readonly AdminOperation[], version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const path = operation.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters = [
      ...[...operation.url.matchAll(/:([A-Za-z]+)/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...Object.entries(operation.query ?? {}).map(([name, spec]) => ({ name, in: 'query', required: false, description: spec.description, schema: { type: spec.type } })),
    ];
    const status = String(operation.status ?? 200);
    (paths[path] ??= {})[operation.method.toLowerCase()] = {
      tags: [operation.tag],
      summary: operation.summary,
      operationId: `${operation.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/(^|[/_-])(\w)/g, (_, _sep: string, c: string) => c.toUpperCase())}`,
      ...(operation.public ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(operation.body ? { requestBody: { required: true, content: { 'application/json': { schema: operation.body } } } } : {}),
      responses: {
        [status]: operation.response ? { description: 'OK', content: { 'application/json': { schema: operation.response } } } : { description: 'OK' },
        '401': { description: operation.public ? 'Not signed in, or a wrong login or password' : 'Missing or wrong admin credentials', content: { 'application/json': { schema: errorSchema } } },
        '404': { description: 'No such application, user or object', content: { 'application/json': { schema: errorSchema } } },
        '422': { description: 'Invalid input; nothing changed', content: { 'application/json': { schema: errorSchema } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Parley admin API', version, description: 'Operator API: operator sign-in, applications, users, sessions, live connections, dialogs, custom data, push, meetings and recordings, live figures.' },
    components: {
      schemas: {
        AppSettings: {
          type: 'object',
          additionalProperties: false,
          properties: Object.fromEntries(appSettingDefinitions.map((setting) => [setting.key, { type: 'boolean', description: setting.description }])),
        },
      },
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'PARLEY_ADMIN_TOKEN' },
        operatorSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'parley_operator',
          description: 'A dashboard operator signed in with POST /admin/session {login, password}; calls other than GET also need the X-CSRF-Token header it answered',
        },
      },
    },
    security: [{ adminToken: [] }, { operatorSession: [] }],
    paths,
  };
}

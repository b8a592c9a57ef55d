import type { FastifyInstance } from 'fastify';
import { adminGuard, bearerTokenAuthenticator, type AdminAuthenticator } from '../admin/auth.js';
import { operatorCookieAuthenticator } from '../admin/operator-auth.js';
import { AdminRoutes } from '../admin/registry.js';
import type { HttpDependencies } from '../services.js';
import { adminAiRoutes } from './admin-ai.js';
import { adminAppRoutes } from './admin-apps.js';
import { adminDataRoutes } from './admin-data.js';
import { adminDialogRoutes } from './admin-dialogs.js';
import { adminDialogFieldRoutes } from './admin-dialog-fields.js';
import { adminDataRecordRoutes } from './admin-data-records.js';
import { adminLiveRoutes } from './admin-live.js';
import { adminMeetingRoutes } from './admin-meetings.js';
import { adminPushRoutes } from './admin-push.js';
import { adminSessionRoutes as adminOperatorSessionRoutes } from './admin-session.js';
import { adminSessionRoutes } from './admin-sessions.js';
import { adminStatusRoutes } from './admin-status.js';
import { adminUserRoutes } from './admin-users.js';

/**
 * The admin API under /admin: one route module per area (add yours to the list). It exists only when
 * some authenticator is configured (PARLEY_ADMIN_TOKEN, dashboard operators); otherwise every /admin path is a 404.
 * Every route goes through the guard and is described in /admin/openapi.json.
 */
export function adminRoutes(app: FastifyInstance, deps: HttpDependencies): AdminRoutes | undefined {
  const authenticators: AdminAuthenticator[] = deps.adminToken === '' ? [] : [bearerTokenAuthenticator(deps.adminToken)];
  // Dashboard operators (cookie + CSRF token); the bearer token is asked first, for automation.
  if (deps.dashboard) authenticators.push(operatorCookieAuthenticator(deps.operators));
  if (authenticators.length === 0) return undefined;
  const routes = new AdminRoutes(app, adminGuard(authenticators));
  adminOperatorSessionRoutes(routes, deps);
  adminAppRoutes(routes, deps);
  adminUserRoutes(routes, deps);
  adminSessionRoutes(routes, deps);
  adminDialogRoutes(routes, deps);
  adminDataRoutes(routes, deps);
  adminStatusRoutes(routes, deps);
  adminAiRoutes(routes, deps);
  adminLiveRoutes(routes, deps);
  adminDialogFieldRoutes(routes, deps);
  adminDataRecordRoutes(routes, deps);
  adminPushRoutes(routes, deps);
  adminMeetingRoutes(routes, deps);
  return routes;
}

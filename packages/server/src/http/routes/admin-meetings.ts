import { appNotFound, idParam, pageParams, pageQuery, type AdminRoutes } from '../admin/registry.js';
import { meetingWire, recordingWire } from '../meeting-presenters.js';
import type { HttpDependencies } from '../services.js';

/** Download and play links handed to the dashboard hold for one hour, like the public API's. */
const RECORDING_URL_TTL_SECONDS = 3600;

const meetingSchema = {
  type: 'object',
  description: 'A meeting as rest.md §9 shows it, plus recordings_count',
  properties: { _id: { type: 'string' }, name: { type: 'string' }, host_id: { type: 'integer' }, start_date: { type: 'integer' }, end_date: { type: 'integer' }, record: { type: 'boolean' }, recordings_count: { type: 'integer' } },
} as const;

const recordingSchema = {
  type: 'object',
  properties: {
    _id: { type: 'string' },
    room_id: { type: 'string' },
    participants_ids: { type: 'array', items: { type: 'integer' } },
    duration: { type: 'number', description: 'seconds' },
    size: { type: 'number', description: 'MB' },
    download_url: { type: 'string', description: 'path and query, signed, valid for an hour, no credentials needed' },
    file_name: { type: 'string' },
    content_type: { type: 'string' },
    created_at: { type: 'string' },
  },
} as const;

/** `/admin/apps/{appId}/meetings`: every meeting of an app, and a meeting's recordings with signed links. */
export function adminMeetingRoutes(routes: AdminRoutes, deps: HttpDependencies): void {
  const appId = (params: Record<string, string>) => idParam(params.appId, appNotFound);
  const tag = 'meetings';

  routes.add(
    { method: 'GET', url: '/admin/apps/:appId/meetings', tag, summary: 'Meetings of the application, newest start first, with their recording counts', query: pageQuery, response: { type: 'array', items: meetingSchema } },
    async (request) => {
      const id = appId(request.params);
      await deps.apps.get(id);
      const found = await deps.meetings.ofApp(id, pageParams(request.query));
      return found.map(({ meeting, recordings }) => ({ ...meetingWire(meeting), recordings_count: recordings }));
    },
  );

  routes.add(
    { method: 'GET', url: '/admin/apps/:appId/meetings/:meetingId/recordings', tag, summary: "A meeting's recordings with signed download links (play or save)", response: { type: 'array', items: recordingSchema } },
    async (request) => {
      const id = appId(request.params);
      const wires = [];
      for (const recording of await deps.meetings.recordingsOf(id, request.params.meetingId ?? '')) {
        const file = await deps.blobs.signedDownload(id, recording.blobId, RECORDING_URL_TTL_SECONDS);
        if (file) wires.push({ ...recordingWire(recording, file.path), file_name: file.name, content_type: file.contentType });
      }
      return wires;
    },
  );
}

import type { MeetingRecordingWire } from '@parley/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf } from '../plugins/auth.js';
import { meetingWire, recordingWire } from '../meeting-presenters.js';
import type { HttpDependencies } from '../services.js';

type Query = Record<string, unknown>;
type ById = { Params: { id: string }; Body: unknown };

/** Recording download URLs hold for one hour (rest.md §9). */
const RECORDING_URL_TTL_SECONDS = 3600;

/** Meetings (rest.md §9). User sessions only; update and delete by the host. */
export function meetingRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  const baseOf = (request: FastifyRequest) => deps.publicUrl || `${request.protocol}://${request.host}`;

  app.post('/meetings', { config: { auth: 'user' } }, async (request, reply) => {
    const meeting = await deps.meetings.create(actorOf(request), request.body);
    return reply.code(201).send(meetingWire(meeting));
  });

  app.get<{ Querystring: Query }>('/meetings', { config: { auth: 'user' } }, async (request) => {
    const found = await deps.meetings.get(actorOf(request), request.query);
    return Array.isArray(found) ? found.map(meetingWire) : meetingWire(found);
  });

  app.put<ById>('/meetings/:id', { config: { auth: 'user' } }, async (request) => meetingWire(await deps.meetings.update(actorOf(request), request.params.id, request.body)));

  app.delete<ById>('/meetings/:id', { config: { auth: 'user' } }, async (request, reply) => {
    await deps.meetings.delete(actorOf(request), request.params.id);
    return reply.code(200).send('');
  });

  app.get<ById>('/meetings/recordings/:id', { config: { auth: 'user' } }, async (request) => {
    const actor = actorOf(request);
    const recordings = await deps.meetings.recordings(actor, request.params.id);
    const base = baseOf(request);
    const wires: MeetingRecordingWire[] = [];
    for (const recording of recordings) {
      const path = await deps.blobs.signedDownloadPath(actor.appId, recording.blobId, RECORDING_URL_TTL_SECONDS);
      if (path !== undefined) wires.push(recordingWire(recording, `${base}${path}`));
    }
    return wires;
  });
}

import multipart, { type Multipart, type MultipartFile } from '@fastify/multipart';
import type { BlobListWire, BlobResponseWire } from '@parley/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { blobEtag, blobTooLarge } from '../../domain/blobs/service.js';
import { DomainFailure } from '../../domain/shared/failure.js';
import { actorOf } from '../plugins/auth.js';
import { blobAccessWire, blobWire, contentDisposition, postResponseXml, signedQuery } from '../blob-presenters.js';
import { parseByteRange } from '../byte-range.js';
import type { HttpDependencies } from '../services.js';

type Query = Record<string, unknown>;
type ByRef = { Params: { ref: string }; Querystring: Query; Body: unknown };
type Download = { Params: { ref: string }; Querystring: Query };

/** Upload fields are short (uid, type, expiry, signature); anything bigger is not ours. */
const UPLOAD_FIELD_LIMITS = { fields: 20, fieldSize: 4096, parts: 25, files: 1 };

/**
 * Files (rest.md §5). `GET /blobs/{x}.json` is the JSON info and `GET /blobs/{x}` the bytes: the URL
 * rewrite sends the second to `/blobs/{uid}/download` (see `plugins/query.ts`).
 */
export function blobRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  /** Where clients reach us: the configured public URL, else the address this request came to. */
  const baseOf = (request: FastifyRequest) => deps.publicUrl || `${request.protocol}://${request.host}`;

  // The multipart reader lives in its own scope: no other route accepts multipart bodies.
  void app.register(async (scope) => {
    await scope.register(multipart, { limits: UPLOAD_FIELD_LIMITS, throwFileSizeLimit: true });
    scope.post('/blobs/upload', { config: { auth: 'none' } }, async (request, reply) => upload(request, reply));
  });

  async function upload(request: FastifyRequest, reply: FastifyReply) {
    // Whatever happens before the file is fully read, the rest of the body is not worth receiving.
    void reply.header('Connection', 'close');
    if (!request.isMultipart()) throw new DomainFailure('UNSUPPORTED_MEDIA_TYPE', { message: 'The upload must be multipart/form-data' });
    const part = await readFilePart(request, deps.blobs.maxBytes);
    if (!part) throw new DomainFailure('UPLOAD_FILE_MISSING');
    // A broken form (not a failing disk) is the client's error: remember what the file stream failed with.
    let formError: Error | undefined;
    part.file.once('error', (error: Error) => (formError ??= error));
    const blob = await deps.blobs.authorizeUpload(fieldValues(part));
    // A client that goes away mid-body must fail the write, not leave it waiting.
    const onClose = () => {
      if (!request.raw.complete) part.file.destroy(new Error('upload cut off'));
    };
    request.raw.once('close', onClose);
    try {
      const stored = await deps.blobs.storeUpload(blob, part.file);
      void reply.removeHeader('Connection');
      const location = `${baseOf(request)}/blobs/${stored.uid}`;
      return reply.code(201).type('application/xml; charset=utf-8').send(postResponseXml(location, stored.uid, blobEtag(stored)));
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw blobTooLarge(deps.blobs.maxBytes);
      const sourceError = formError ?? part.file.errored;
      if (sourceError && !(error instanceof DomainFailure)) throw malformedForm(sourceError);
      throw error;
    } finally {
      request.raw.off('close', onClose);
    }
  }

  app.post<{ Body: unknown }>('/blobs', async (request, reply) => {
    const { blob, upload: ticket } = await deps.blobs.create(actorOf(request), request.body);
    const url = `${baseOf(request)}/blobs/upload?${signedQuery(ticket.fields)}`;
    return reply.code(201).send({ blob: blobWire(blob, blobAccessWire(blob, 'Write', ticket.expiresAt, url)) } satisfies BlobResponseWire);
  });

  app.get<{ Querystring: Query }>('/blobs', async (request): Promise<BlobListWire> => {
    const { page, perPage, total, blobs } = await deps.blobs.list(actorOf(request), request.query);
    return { current_page: page, per_page: perPage, total_entries: total, items: blobs.map((blob) => ({ blob: blobWire(blob) })) };
  });

  app.get<ByRef>('/blobs/:ref', async (request): Promise<BlobResponseWire> => ({ blob: blobWire(await deps.blobs.getOrRename(actorOf(request), request.params.ref, request.query)) }));

  app.put<ByRef>('/blobs/:ref', async (request): Promise<BlobResponseWire> => ({ blob: blobWire(await deps.blobs.update(actorOf(request), request.params.ref, request.body)) }));

  app.delete<ByRef>('/blobs/:ref', async (request, reply) => {
    await deps.blobs.delete(actorOf(request), request.params.ref);
    return reply.code(200).send();
  });

  // The SDK uses PUT, the docs' curl and Flutter POST [A-8].
  const complete = async (request: FastifyRequest<ByRef>, reply: FastifyReply) => {
    await deps.blobs.complete(actorOf(request), request.params.ref, request.body);
    return reply.code(200).send();
  };
  app.put<ByRef>('/blobs/:ref/complete', complete);
  app.post<ByRef>('/blobs/:ref/complete', complete);

  app.get<ByRef>('/blobs/:ref/object', async (request): Promise<BlobResponseWire> => {
    const actor = actorOf(request);
    const wantsUrl = request.query.download_url;
    if (wantsUrl === undefined || wantsUrl === '' || wantsUrl === '0' || wantsUrl === 'false') {
      return { blob: blobWire(await deps.blobs.get(actor, request.params.ref)) };
    }
    const { blob, download } = await deps.blobs.downloadUrl(actor, request.params.ref);
    const url = `${baseOf(request)}/blobs/${blob.uid}?${signedQuery(download.fields)}`;
    return { blob: blobWire(blob, blobAccessWire(blob, 'Read', download.expiresAt, url)) };
  });

  // GET and HEAD in one route: Fastify's automatic HEAD would read the whole file and zero the length.
  app.route<Download>({ method: ['GET', 'HEAD'], url: '/blobs/:ref/download', config: { auth: 'none' }, handler: download });

  async function download(request: FastifyRequest<Download>, reply: FastifyReply) {
    const query = request.query;
    const token = (typeof query.token === 'string' && query.token !== '' ? query.token : undefined) ?? headerValue(request, 'cb-token');
    const target = await deps.blobs.resolveDownload(request.params.ref, {
      ...(token ? { authenticate: async () => (await deps.sessions.authenticate(token)).actor } : {}),
      ...(query.signature !== undefined ? { signature: query.signature, expires: query.expires } : {}),
    });
    const { blob, size, etag } = target;

    void reply.header('ETag', etag).header('Accept-Ranges', 'bytes').header('Cache-Control', blob.isPublic ? 'public, max-age=300' : 'private, max-age=0');
    if (request.headers['if-none-match'] !== undefined && matchesEtag(request.headers['if-none-match'], etag)) {
      return reply.code(304).send();
    }
    const ifRange = headerValue(request, 'if-range');
    const range = ifRange !== undefined && ifRange !== etag ? 'all' : parseByteRange(headerValue(request, 'range'), size);
    if (range === 'unsatisfiable') {
      void reply.header('Content-Range', `bytes */${size}`);
      throw new DomainFailure('RANGE_NOT_SATISFIABLE');
    }
    void reply
      .header('Content-Type', blob.contentType)
      .header('Content-Disposition', contentDisposition(blob.name))
      // Uploaded HTML or SVG must never run as a page of this origin.
      .header('Content-Security-Policy', "sandbox; default-src 'none'")
      .header('X-Content-Type-Options', 'nosniff');
    if (range !== 'all') void reply.code(206).header('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
    const length = range === 'all' ? size : range.end - range.start + 1;
    void reply.header('Content-Length', String(length));
    if (request.method === 'HEAD' || length === 0) return reply.send();
    return reply.send(await deps.blobs.openBytes(blob, range === 'all' ? undefined : range));
  }
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function matchesEtag(header: string | string[], etag: string): boolean {
  const values = (Array.isArray(header) ? header.join(',') : header).split(',').map((value) => value.trim().replace(/^W\//, ''));
  return values.includes('*') || values.includes(etag);
}

/** The text fields that came before the file part (the SDK sends the URL's query pairs first). */
function fieldValues(part: MultipartFile): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, entry] of Object.entries(part.fields)) {
    const first = (Array.isArray(entry) ? entry[0] : entry) as Multipart | undefined;
    if (first && first.type === 'field' && typeof first.value === 'string') values[name] = first.value;
  }
  return values;
}

/**
 * The first file part, with the text fields before it. One byte past the limit reaches the storage's
 * own size guard, which fails the write before anything is committed (the multipart reader only
 * truncates, it never fails the stream).
 */
async function readFilePart(request: FastifyRequest, maxBytes: number): Promise<MultipartFile | undefined> {
  try {
    return await request.file({ limits: { ...UPLOAD_FIELD_LIMITS, fileSize: maxBytes + 1 } });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 413) throw error;
    throw malformedForm(error);
  }
}

function malformedForm(error: unknown): DomainFailure {
  const reason = error instanceof Error ? error.message : String(error);
  return new DomainFailure('MALFORMED_REQUEST', { message: `Malformed multipart/form-data body (${reason})` });
}

/**
 * The rewrites between SDK 6.1.2 and a Janus running with `string_ids = true` (realtime.md §13.6).
 * Pure functions over parsed JSON; everything they do not name passes unchanged.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const asIdString = (value: unknown): unknown => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value);
const asIdNumber = (value: unknown): unknown => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value);

/** A videoroom request body on its way to Janus: legacy listener join, numeric ids and room. */
export function rewriteRequestBody(body: Json): Json {
  const out: Json = { ...body };
  if (out.request === 'join' && out.ptype === 'listener') out.ptype = 'subscriber';
  if ('id' in out) out.id = asIdString(out.id);
  if ('feed' in out) out.feed = asIdString(out.feed);
  if ('room' in out && typeof out.room === 'number') out.room = String(out.room);
  if (Array.isArray(out.streams)) out.streams = out.streams.map((stream: unknown) => (isObject(stream) && 'feed' in stream ? { ...stream, feed: asIdString(stream.feed) } : stream));
  return out;
}

const listsOfParticipants = ['publishers', 'participants', 'attendees'] as const;

/** Videoroom event data on its way to the SDK: participant ids back to JSON numbers. */
export function rewriteEventData(data: Json): Json {
  const out: Json = { ...data };
  if ('id' in out) out.id = asIdNumber(out.id);
  for (const key of ['leaving', 'unpublished', 'kicked'] as const) if (key in out) out[key] = asIdNumber(out[key]);
  if (isObject(out.joining)) out.joining = { ...out.joining, id: asIdNumber(out.joining.id) };
  for (const key of listsOfParticipants) {
    const list = out[key];
    if (Array.isArray(list)) out[key] = list.map((entry: unknown) => (isObject(entry) ? rewriteParticipant(entry) : entry));
  }
  if (Array.isArray(out.streams)) out.streams = out.streams.map((stream: unknown) => (isObject(stream) ? rewriteStream(stream) : stream));
  return out;
}

function rewriteParticipant(entry: Json): Json {
  const out: Json = { ...entry, id: asIdNumber(entry.id) };
  if (Array.isArray(entry.streams)) out.streams = entry.streams.map((stream: unknown) => (isObject(stream) ? rewriteStream(stream) : stream));
  return out;
}

function rewriteStream(stream: Json): Json {
  return 'feed_id' in stream ? { ...stream, feed_id: asIdNumber(stream.feed_id) } : stream;
}

/** A whole Janus message for the SDK: only videoroom plugin data changes. */
export function rewriteFromJanus(message: Json): Json {
  const plugindata = message.plugindata;
  if (!isObject(plugindata) || !isObject(plugindata.data)) return message;
  return { ...message, plugindata: { ...plugindata, data: rewriteEventData(plugindata.data) } };
}

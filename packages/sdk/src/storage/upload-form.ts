// The two halves of a blob upload the server hands out as one URL (rest.md §5.2): the address to
// POST to, and the signed query pairs that go into the form as fields, decoded.
export interface UploadTarget {
  /** scheme://host[:port]/path, without the query or fragment. */
  url: string;
  fields: Record<string, string>;
}

export function uploadTarget(params: string | undefined): UploadTarget {
  const [withoutFragment = ''] = (params ?? '').split('#');
  const queryAt = withoutFragment.indexOf('?');
  const url = queryAt === -1 ? withoutFragment : withoutFragment.slice(0, queryAt);
  const fields: Record<string, string> = {};
  if (queryAt !== -1) {
    for (const pair of withoutFragment.slice(queryAt + 1).split('&')) {
      const equals = pair.indexOf('=');
      const key = equals === -1 ? pair : pair.slice(0, equals);
      // `+` stays a plus: the official SDK only percent-decodes (the server encodes spaces as %20).
      if (key !== '') fields[key] = decodeURIComponent(equals === -1 ? '' : pair.slice(equals + 1));
    }
  }
  return { url, fields };
}

/**
 * The multipart body: every field in order, `file` wherever the caller put it (last, from
 * `createAndUpload`). Bytes that are not a Blob yet (a Node Buffer) become one, which FormData needs.
 */
export function uploadForm(data: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(data)) {
    if (value === undefined) continue;
    if (isBlob(value)) form.append(name, value);
    else if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) form.append(name, new Blob([value as BlobPart]));
    else form.append(name, String(value));
  }
  return form;
}

function isBlob(value: unknown): value is globalThis.Blob {
  return typeof Blob !== 'undefined' && value instanceof Blob;
}

import { isoSeconds, type BlobObjectAccessWire, type BlobWire } from '@parley/protocol';
import type { BlobRecord } from '../ports/blob-store.js';

/** A blob record → the contract's Blob object (rest.md §5.1). */
export function blobWire(blob: BlobRecord, access?: BlobObjectAccessWire): BlobWire {
  const wire: BlobWire = {
    id: blob.id,
    uid: blob.uid,
    content_type: blob.contentType,
    name: blob.name,
    size: blob.completedAt === null ? null : blob.storedSize,
    public: blob.isPublic,
    blob_status: blob.completedAt === null ? null : 'complete',
    set_completed_at: blob.completedAt === null ? null : isoSeconds(blob.completedAt),
    created_at: isoSeconds(blob.createdAt),
    updated_at: isoSeconds(blob.updatedAt),
  };
  if (access) wire.blob_object_access = access;
  return wire;
}

export function blobAccessWire(blob: BlobRecord, type: 'Write' | 'Read', expiresAt: number, url: string): BlobObjectAccessWire {
  const access: BlobObjectAccessWire = { id: blob.id, blob_id: blob.id, expires: isoSeconds(expiresAt), object_access_type: type };
  if (type === 'Write') access.params = url;
  else access.download_url = url;
  return access;
}

/** `k=v&…` with every value percent-encoded (spaces as %20: the SDK does not turn `+` into a space). */
export function signedQuery(fields: [string, string][]): string {
  return fields.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
}

/** `inline` with an ASCII fallback name and the exact name in RFC 8187 form. */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `inline; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const xmlEscape = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The S3-style answer to a form upload (rest.md §5.3); the SDKs read it as text. */
export function postResponseXml(location: string, uid: string, etag: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<PostResponse><Location>${xmlEscape(location)}</Location><Bucket>blobs</Bucket><Key>${xmlEscape(uid)}</Key><ETag>${xmlEscape(etag)}</ETag></PostResponse>`
  );
}

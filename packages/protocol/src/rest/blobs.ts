/** Storage wire objects (rest.md §5.1). Request bodies are decoded leniently by the domain. */

/** @parley/sdk exposes it as `BlobObjectAccess`. */
export interface BlobObjectAccessWire {
  id: number;
  blob_id: number;
  /** ISO 8601 UTC. */
  expires: string;
  object_access_type: 'Write' | 'Read';
  /** Create: the signed upload URL (one absolute URL with its fields in the query string). */
  params?: string;
  /** `…/object?download_url=1`: a URL that downloads the bytes without headers. */
  download_url?: string;
}

/** A blob (rest.md §5.1); @parley/sdk exposes it as `Blob`. */
export interface BlobWire {
  id: number;
  uid: string;
  content_type: string;
  name: string;
  size: number | null;
  public: boolean;
  blob_status: 'complete' | null;
  set_completed_at: string | null;
  created_at: string;
  updated_at: string;
  blob_object_access?: BlobObjectAccessWire;
}

/** `{blob}`: create, get info, mark uploaded, rename. */
export interface BlobResponseWire {
  blob: BlobWire;
}

/** `GET /blobs` (rest.md §5.9). */
export interface BlobListWire {
  current_page: number;
  per_page: number;
  total_entries: number;
  items: { blob: BlobWire }[];
}

/** Server-made blob uids: 32 lower-case hex digits and `00` (rest.md §1.6). */
export const BLOB_UID_PATTERN = /^[0-9a-f]{32}00$/;

export function isBlobUid(value: string): boolean {
  return BLOB_UID_PATTERN.test(value);
}

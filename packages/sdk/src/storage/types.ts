// Storage (files) types, as the server returns them (rest.md §5) and as the official SDK names them.

export interface BlobObjectAccess {
  id?: number;
  blob_id?: number;
  expires?: string | number;
  object_access_type?: string;
  /** Create: the signed upload URL. */
  params?: string;
  /** `getFileObject(uid, {download_url: 1})`: a URL that downloads without headers. */
  download_url?: string;
}

export interface Blob {
  id: number;
  uid?: string;
  content_type?: string;
  name?: string;
  size?: number | null;
  created_at?: string | number;
  updated_at?: string | number;
  public?: boolean;
  blob_status?: string | null;
  set_completed_at?: string | number | null;
  blob_object_access?: BlobObjectAccess;
  account_id?: number;
  app_id?: number;
  [key: string]: unknown;
}

export interface BlobResponse {
  blob: Blob;
}

export interface StorageListParams {
  /** The official SDK's type name for the page; `page` is sent as given too. */
  current_page?: number;
  page?: number;
  per_page?: number;
}

export interface StorageListResponse {
  current_page: number;
  per_page: number;
  total_entries: number;
  items: BlobResponse[];
}

export interface CreateBlobParams {
  content_type: string;
  name: string;
  /** Server default: false. */
  public?: boolean;
}

/** Anything `FormData` can carry as a file: a browser `File`/`Blob`, or bytes (a Node `Buffer` is a Uint8Array). */
export type FileData = globalThis.Blob | ArrayBuffer | ArrayBufferView;

export interface CreateAndUploadParams {
  name: string;
  file: FileData;
  /** MIME type. */
  type: string;
  size: number;
  /** Default true in this helper (the server's default is false). */
  public?: boolean;
  /** Accepted for compatibility; uploads cannot be aborted by id in this SDK. */
  abort_id?: string | number;
}

/** `upload`: the upload URL without its query, and the form fields (the signed query pairs, then `file`). */
export interface UploadParams {
  url: string;
  data: Record<string, unknown>;
  abort_id?: string | number;
}

export interface MarkUploadedParams {
  id: number;
  size: number | string;
}

export interface GetFileObjectParams {
  download_url?: string | number | boolean;
}

export interface UpdateBlobParams {
  id: number;
  name?: string;
}

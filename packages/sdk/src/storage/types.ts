// Storage (files) types under the official SDK's names (rest.md §5): the SDK's parameters here, what
// the server returns from @parley/protocol.
import type { BlobListWire, BlobObjectAccessWire, BlobResponseWire, BlobWire } from '@parley/protocol';

export type BlobObjectAccess = BlobObjectAccessWire;
export type Blob = BlobWire;
export type BlobResponse = BlobResponseWire;

export interface StorageListParams {
  /** The official SDK's type name for the page; `page` is sent as given too. */
  current_page?: number;
  page?: number;
  per_page?: number;
}

export type StorageListResponse = BlobListWire;

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

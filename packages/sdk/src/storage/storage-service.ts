// The `storage` module (rest.md §5): blobs are created, uploaded to the signed URL the server hands
// out, declared complete, read, listed and deleted. Return values are the server's JSON (or text for
// the text-mode endpoints), as in the official SDK.
import type { SdkConfig } from '../config.js';
import type { ApiRequest } from '../http/types.js';
import { apiBase, routePath } from '../http/url.js';
import { uploadForm, uploadTarget } from './upload-form.js';
import type {
  Blob,
  BlobResponse,
  CreateAndUploadParams,
  CreateBlobParams,
  GetFileObjectParams,
  MarkUploadedParams,
  StorageListParams,
  StorageListResponse,
  UpdateBlobParams,
  UploadParams,
} from './types.js';

/** What the storage feature needs; it never sees fetch. */
export interface StorageDeps {
  request<T>(request: ApiRequest): Promise<T>;
  config(): SdkConfig;
  /** The current session token, if any (for `privateUrl`). */
  token(): string | undefined;
}

const BLOBS = 'blobs';

export class StorageService {
  constructor(private readonly deps: StorageDeps) {}

  /** Your own files, a page at a time (`per_page` default 10, max 100). Deprecated upstream, still served. */
  list(params: StorageListParams = {}): Promise<StorageListResponse> {
    return this.deps.request({ method: 'GET', path: BLOBS, data: params });
  }

  /** Creates the file record; `blob.blob_object_access.params` is the signed upload URL. */
  create(params?: CreateBlobParams): Promise<BlobResponse> {
    return this.deps.request({ method: 'POST', path: BLOBS, data: { blob: params } });
  }

  /** Deletes one of your files (record and bytes). */
  delete(id: number | string): Promise<string> {
    return this.deps.request({ method: 'DELETE', path: routePath(BLOBS, id), responseMode: 'text' });
  }

  /**
   * Create → upload → declare uploaded, in one call. Resolves with the created blob (its upload URL
   * included) and the `size` you passed. `public` defaults to true here.
   */
  async createAndUpload(params: CreateAndUploadParams): Promise<Blob> {
    const { name, file, size, type: content_type, public: isPublic = true, abort_id } = params;
    const { blob } = await this.create({ name, content_type, public: isPublic });
    const target = uploadTarget(blob.blob_object_access?.params);
    await this.upload({ url: target.url, data: { ...target.fields, file }, ...(abort_id === undefined ? {} : { abort_id }) });
    await this.markUploaded({ id: blob.id, size });
    return { ...blob, size };
  }

  /** POSTs `data` as multipart/form-data to `url` (the upload URL without its query); resolves with the text body. */
  upload(params: UploadParams): Promise<string> {
    return this.deps.request({ method: 'POST', path: '', url: params.url, form: uploadForm(params.data), responseMode: 'text' });
  }

  /** Declares the upload finished: the blob becomes `complete`. */
  markUploaded(params: MarkUploadedParams): Promise<string> {
    return this.deps.request({ method: 'PUT', path: routePath(BLOBS, params.id, 'complete'), data: { size: params.size }, responseMode: 'text' });
  }

  /** A file's record by numeric id (any user of the application may read it). */
  getInfo(id: number | string): Promise<BlobResponse> {
    return this.deps.request({ method: 'GET', path: routePath(BLOBS, id) });
  }

  /** A file's record by uid. */
  getFile(uid: string): Promise<BlobResponse> {
    return this.deps.request({ method: 'GET', path: routePath(BLOBS, uid) });
  }

  /** The record; with `{download_url: 1}` also `blob_object_access.download_url`, a URL that needs no headers. */
  getFileObject(uid: string, params?: GetFileObjectParams): Promise<BlobResponse> {
    return this.deps.request({ method: 'GET', path: routePath(BLOBS, uid, 'object'), data: params });
  }

  /**
   * Renames a file. Sent as the official SDK sends it, a GET with `blob[name]` (it never sets the
   * method); Parley applies the rename for the owner and returns the record.
   */
  update(params: UpdateBlobParams): Promise<BlobResponse> {
    const blob: Record<string, unknown> = {};
    if (params.name !== undefined) blob.name = params.name;
    return this.deps.request({ method: 'GET', path: routePath(BLOBS, params.id), data: { blob } });
  }

  /** The download URL with the session token in the query (`token=undefined` without a session, as upstream). */
  privateUrl(fileUID = ''): string {
    return `${apiBase(this.deps.config().endpoints)}/${BLOBS}/${fileUID}?token=${this.deps.token()}`;
  }

  /** The download URL of a public file. */
  publicUrl(fileUID = ''): string {
    return `${apiBase(this.deps.config().endpoints)}/${BLOBS}/${fileUID}`;
  }
}

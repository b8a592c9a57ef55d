/**
 * Blob metadata rows (rest.md §5). Bytes live behind `BlobStorage` (ports/blobs.ts) under the blob's
 * uid. Every method but `findByUidInAnyApp` takes the application id and puts it in its query.
 */

export interface BlobRecord {
  id: number;
  appId: number;
  ownerId: number;
  /** 128 random bits as hex + `00`: the storage key and the capability in download URLs. */
  uid: string;
  name: string;
  contentType: string;
  isPublic: boolean;
  /** Bytes stored by the last complete upload; null until one finished. */
  storedSize: number | null;
  /** When the last complete upload finished (it versions the ETag); null before. */
  uploadedAt: number | null;
  /** Set by "declare uploaded" (`blob_status: complete`). */
  completedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export type NewBlob = Omit<BlobRecord, 'id' | 'appId'>;

export type BlobChange = Partial<Pick<BlobRecord, 'name' | 'contentType' | 'storedSize' | 'uploadedAt' | 'completedAt' | 'updatedAt'>>;

export interface BlobPage {
  total: number;
  blobs: BlobRecord[];
}

export interface BlobRepository {
  create(appId: number, blob: NewBlob): Promise<BlobRecord>;
  findById(appId: number, id: number): Promise<BlobRecord | undefined>;
  findByUid(appId: number, uid: string): Promise<BlobRecord | undefined>;
  /**
   * For the two routes a uid alone addresses (the signed upload and the public download): the uid is an
   * unguessable capability there, and the caller checks the application itself when it knows one.
   */
  findByUidInAnyApp(uid: string): Promise<BlobRecord | undefined>;
  /** The owner's blobs in id order. */
  listByOwner(appId: number, ownerId: number, page: { offset: number; limit: number }): Promise<BlobPage>;
  /** The changed record, or undefined when the row is gone. */
  update(appId: number, id: number, change: BlobChange): Promise<BlobRecord | undefined>;
  delete(appId: number, id: number): Promise<boolean>;
  /** Uids of the application's blobs with an id above `afterId`, in id order (to remove their bytes). */
  uidsOfApp(appId: number, afterId: number, limit: number): Promise<{ id: number; uid: string }[]>;
}

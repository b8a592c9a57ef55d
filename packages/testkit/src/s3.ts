/**
 * A local S3-compatible server for tests: `s3rver` (npm, pure JavaScript) on a free port of
 * 127.0.0.1, objects in a temp dir, one bucket made up front. Known gaps of s3rver against real S3:
 * no ListMultipartUploads, ListParts or AbortMultipartUpload (so the S3 blob adapter's sweep of
 * abandoned multipart uploads cannot be exercised here).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface TestS3 {
  /** e.g. `http://127.0.0.1:41234`; path-style addressing. */
  endpoint: string;
  bucket: string;
  region: string;
  /** s3rver's fixed credentials. */
  accessKeyId: string;
  secretAccessKey: string;
  /** Option values for `startServer({ config })`: PARLEY_BLOBS=s3 and PARLEY_S3_*. */
  serverConfig: Record<'blobs' | 's3Endpoint' | 's3Bucket' | 's3Region' | 's3AccessKeyId' | 's3SecretAccessKey' | 's3ForcePathStyle', string>;
  stop(): Promise<void>;
}

export async function startTestS3(bucket = 'parley-test'): Promise<TestS3> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'parley-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  let port: number;
  try {
    ({ port } = await server.run());
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  let stopped = false;
  return {
    endpoint,
    bucket,
    region: 'us-east-1',
    ...credentials,
    serverConfig: {
      blobs: 's3',
      s3Endpoint: endpoint,
      s3Bucket: bucket,
      s3Region: 'us-east-1',
      s3AccessKeyId: credentials.accessKeyId,
      s3SecretAccessKey: credentials.secretAccessKey,
      s3ForcePathStyle: 'true',
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

import type { BlobService } from '../blobs/service.js';
import type { AppService } from './service.js';

/**
 * Deletes an application with everything it owns: its rows go by cascade in one statement, then the
 * bytes of its uploaded files (collected first, since their rows go with the application).
 */
export async function removeApplication(apps: AppService, blobs: BlobService, appId: number): Promise<{ filesRemoved: number }> {
  await apps.get(appId);
  const uids = await blobs.uidsOfApp(appId);
  await apps.remove(appId);
  return { filesRemoved: await blobs.deleteBytes(uids) };
}

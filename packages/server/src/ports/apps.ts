/** Applications (tenants) and their per-app settings: the apps aggregate of the store port (see store.ts for the guarantees). */

export interface AppSettings {
  /** Deprecated V1 user lookups answer (default) or 403. */
  usersV1Enabled: boolean;
  /** When true, a session with unknown login/email credentials is refused instead of creating the user. */
  denySessionWithoutUser: boolean;
  /** Lets `[start_with]` user searches take 1+ characters and keep the requested limit (docs: 4+, limit 5). */
  relaxedStartWith: boolean;
}

export const defaultAppSettings: AppSettings = {
  usersV1Enabled: true,
  denySessionWithoutUser: false,
  relaxedStartWith: false,
};

export interface AppRecord {
  id: number;
  name: string;
  authKey: string;
  authSecret: string;
  settings: AppSettings;
  createdAt: number;
}

export interface AppRepository {
  create(app: Omit<AppRecord, 'id'>): Promise<AppRecord>;
  findById(appId: number): Promise<AppRecord | undefined>;
  findByAuthKey(authKey: string): Promise<AppRecord | undefined>;
  findByName(name: string): Promise<AppRecord | undefined>;
  list(): Promise<AppRecord[]>;
  /** Changes name, auth secret and/or settings; undefined when there is no such application. */
  update(appId: number, change: AppChange): Promise<AppRecord | undefined>;
  /** Deletes the application and, by cascade, every row of it; false when there was none. */
  delete(appId: number): Promise<boolean>;
}

export type AppChange = Partial<Pick<AppRecord, 'name' | 'authSecret' | 'settings'>>;

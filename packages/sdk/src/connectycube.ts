// The client facade: one instance = one configuration + one session. The default export of the
// package is a ready-made instance (the official SDK's `ConnectyCube` object); create more with
// `new ConnectyCube()` when one process acts as several users (tests, bots, servers).
import { AddressBookService } from './addressbook/addressbook-service.js';
import { AiService } from './ai/ai-service.js';
import { AuthService } from './auth/auth-service.js';
import { SessionState } from './auth/session-state.js';
import { DataService } from './data/data-service.js';
import type { Session } from './auth/types.js';
import { ChatService } from './chat/index.js';
import type { Credentials, InitConfig, SdkConfig } from './config.js';
import { resolveConfig } from './config.js';
import { HttpClient } from './http/client.js';
import { MeetingService } from './meeting/meeting-service.js';
import { ConferenceClient } from './videochatconference/conference-client.js';
import type { ApiRequest } from './http/types.js';
import { PushNotificationsService } from './pushnotifications/pushnotifications-service.js';
import { StorageService } from './storage/storage-service.js';
import { UsersService } from './users/users-service.js';
import { VideoChatService } from './videochat/videochat-service.js';

/** Version of this package (the wire protocol it speaks is ConnectyCube JS SDK 6.1.2). */
export const SDK_VERSION = '0.1.0';

export class ConnectyCube {
  /** The class itself, reachable from the default instance as in the official SDK. */
  readonly ConnectyCube = ConnectyCube;
  readonly version = SDK_VERSION;

  readonly auth: AuthService;
  readonly users: UsersService;
  /** Real-time chat over XMPP (connect, send, listeners, muc), chat REST (dialogs, messages, search) and JID helpers. */
  readonly chat: ChatService;
  /** Custom objects: records of the classes the server's administrator defined. */
  readonly data: DataService;
  /** Phone address books and the contacts who use the app. */
  readonly addressbook: AddressBookService;
  /** Files: create, upload, declare uploaded, read, list, delete, download URLs. */
  readonly storage: StorageService;
  /** Parley only: chat summaries and tone rewrites made on the server (the AI key stays there). */
  readonly ai: AiService;
  /** P2P calls (mesh of up to 4) signalled over the chat connection; TURN credentials from the server. */
  readonly videochat: VideoChatService;
  /** Push notifications: device subscriptions and push events. */
  readonly pushnotifications: PushNotificationsService;
  /** Meetings (conference rooms) and their recordings. */
  readonly meeting: MeetingService;
  /** Multiparty video conferencing (browser): sessions that join a meeting's room through `conference.server`. */
  readonly videochatconference: ConferenceClient;

  readonly setSession: AuthService['setSession'];
  readonly getSession: AuthService['getSession'];
  readonly createSession: AuthService['createSession'];
  readonly destroySession: AuthService['destroySession'];
  /** @deprecated in the official SDK: use `createSession(user)` or `auth.login(user)`. */
  readonly login: AuthService['login'];
  /** @deprecated in the official SDK: use `destroySession()` or `auth.logout()`. */
  readonly logout: AuthService['logout'];

  private config: SdkConfig;
  private readonly session = new SessionState();
  private readonly http: HttpClient;

  /**
   * @param defaults options applied under every `init` config, e.g. `{ fetch }` to route all
   *   requests of this instance through a test double.
   */
  constructor(private readonly defaults: InitConfig = {}) {
    this.config = resolveConfig({ appId: '' }, defaults);

    // Services read config and session through these closures, so `init` can replace the config
    // without rebuilding them (references like `const users = ConnectyCube.users` stay valid).
    this.http = new HttpClient({ config: () => this.config, session: this.session });
    const deps = {
      request: <T>(request: ApiRequest): Promise<T> => this.http.request<T>(request),
      session: this.session,
      credentials: (): Credentials => this.config.creds,
    };
    this.auth = new AuthService(deps);
    this.users = new UsersService(deps);
    this.data = new DataService({ request: deps.request });
    this.chat = new ChatService({ request: deps.request, config: () => this.config });
    this.addressbook = new AddressBookService({ request: deps.request });
    this.pushnotifications = new PushNotificationsService({ request: deps.request });
    this.meeting = new MeetingService({ request: deps.request });
    this.videochatconference = new ConferenceClient({
      config: () => ({ ...this.config.features.conference, iceServers: this.config.features.videochat?.iceServers }),
      token: () => this.session.token,
    });
    this.storage = new StorageService({ request: deps.request, config: () => this.config, token: () => this.session.token });
    this.ai = new AiService({ request: deps.request, config: () => this.config, token: () => this.session.token });
    this.videochat = new VideoChatService({ request: deps.request, config: () => this.config, chat: this.chat });

    this.setSession = this.auth.setSession;
    this.getSession = this.auth.getSession;
    this.createSession = this.auth.createSession;
    this.destroySession = this.auth.destroySession;
    this.login = this.auth.login;
    this.logout = this.auth.logout;
  }

  /**
   * Configures this instance. `credentials` is `{appId, authKey}` (create sessions yourself) or
   * `{appId, token}` (reuse an existing session token). Calling it again starts over: the stored
   * session is dropped and options not given return to their defaults.
   */
  init(credentials: Credentials, config: InitConfig = {}): void {
    this.config = resolveConfig(credentials, { ...this.defaults, ...config });
    this.session.clear();
    this.chat.reset();
    if (credentials.token) this.session.set({ token: credentials.token });
  }

  /**
   * Read-only view matching the official `ConnectyCube.service.sdkInstance`, which the docs use
   * to pass the session token as the chat password.
   */
  get service(): { sdkInstance: { config: Readonly<SdkConfig>; session: Partial<Session> | null } } {
    return { sdkInstance: { config: this.config, session: this.session.session } };
  }
}

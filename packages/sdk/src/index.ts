// Public entry of @parley/sdk: the default `ConnectyCube` instance (drop-in for the official
// `import ConnectyCube from 'connectycube'`), the class for independent instances, and the types.
import { ConnectyCube } from './connectycube.js';

const defaultInstance = new ConnectyCube();
export default defaultInstance;

export { ConnectyCube, ConnectyCube as ConnectyCubeClient, SDK_VERSION } from './connectycube.js';
export { serializeQuery } from './http/query.js';
export { SDK_HEADER } from './http/request.js';
export { SESSION_MISSING_MESSAGE } from './http/errors.js';
export { DialogDateProp, DialogType, LastMessageMessageStatus } from './chat/enums.js';
export { AddressBookUserDataType } from './addressbook/types.js';
export { CallType, CallSessionState, CallSignalType, MediaType, PeerConnectionState, SessionConnectionState } from './videochat/enums.js';
export type { VideoChatService, IceServer } from './videochat/videochat-service.js';
export type { CallSession, MediaParams } from './videochat/session.js';
export type { CallStats } from './videochat/stats.js';
export type * from './videochat/listeners.js';
export { DevicePlatform, NotificationChannel, PushEnvironment } from './pushnotifications/types.js';
export type { EventsCreateParams, PushEvent, Subscription, SubscriptionsCreateParams } from './pushnotifications/types.js';
export type { PushNotificationsService } from './pushnotifications/pushnotifications-service.js';
export type { AuthService } from './auth/auth-service.js';
export type { UsersService } from './users/users-service.js';
export type { ChatService } from './chat/index.js';
export type { AddressBookService } from './addressbook/addressbook-service.js';
export type { StorageService } from './storage/storage-service.js';
export type { AiService } from './ai/ai-service.js';
export type { ChatSummary, MessageTone, SummarizeChatParams } from './ai/types.js';
export type { MeetingService } from './meeting/meeting-service.js';
export type { ConferenceClient } from './videochatconference/conference-client.js';
export type { ConferenceSession } from './videochatconference/conference-session.js';
export type * from './videochatconference/types.js';
export type * from './meeting/types.js';
export type { DialogsService } from './chat/dialogs.js';
export type { MessagesService } from './chat/messages.js';
export type { ChatHelpers } from './chat/helpers.js';
export { ChatEvent } from './chat/realtime/events.js';
export type {
  ChatListeners,
  OnChatConnectionErrorListener,
  OnChatDisconnectedListener,
  OnChatReconnectedListener,
  OnChatStatusListener,
  OnDialogJoinListener,
  OnDialogKickListener,
  OnDialogLeaveListener,
  OnMessageDeleteListener,
  OnMessageDeliveredListener,
  OnMessageErrorListener,
  OnMessageListener,
  OnMessageReactionsListener,
  OnMessageReadListener,
  OnMessageSentListener,
  OnMessageSystemListener,
  OnMessageTypingListener,
  OnMessageUpdateListener,
} from './chat/realtime/events.js';
export type { ChatInitConfig, WebSocketConstructor } from './chat/realtime/config.js';
export type { MultiUserChat } from './chat/realtime/muc.js';
export type {
  ConnectionParams,
  DeleteMessageParams,
  EditMessageParams,
  ExtraParams,
  Message as ChatMessage,
  MessageParams as ChatMessageParams,
  MessageStatusParams,
  MucJoinError,
  SystemMessage,
  SystemMessageParams,
  XmppErrorInfo,
} from './chat/realtime/types.js';
export type {
  Credentials,
  Endpoints,
  InitConfig,
  Listeners,
  SdkConfig,
  SessionExpiredListener,
  SessionHandleResponse,
  SessionRetry,
} from './config.js';
export type { ApiError, FetchLike, FetchResponseLike, HttpMethod } from './http/types.js';
export type {
  CreateSessionParams,
  FirebaseKeys,
  LoginAsGuest,
  LoginByEmail,
  LoginByLogin,
  LoginByProvider,
  LoginParams,
  LoginProvider,
  ProviderKeys,
  Session,
} from './auth/types.js';
export type {
  DateInput,
  GetUsersV2Params,
  LegacyGetParams,
  LegacyUserFilter,
  LegacyUserListParams,
  LegacyUserLookup,
  LegacyUsersPage,
  ListOnlineParams,
  OnlineCountResponse,
  OnlineUsersResponse,
  SignUpParams,
  UpdateUserParams,
  User,
  UserCondition,
  UserFields,
  UserResponse,
  UsersV2Response,
} from './users/types.js';
export type {
  Attachment,
  ChatCondition,
  ChatCountResponse,
  ChatSearchParams,
  ChatSearchResponse,
  CreateDialogParams,
  CreateMessageParams,
  CreateSystemMessageParams,
  CreateSystemMessageResponse,
  DeleteResponse,
  Dialog,
  DialogExtensions,
  DialogIdChanges,
  DialogListParams,
  DialogListResponse,
  DialogPermissions,
  ForceParams,
  IdList,
  ListReactionsResponse,
  Message,
  MessageListParams,
  MessageListResponse,
  NotificationsSettingsResponse,
  PublicOccupantsParams,
  PublicOccupantsResponse,
  Reactions,
  UnreadCountParams,
  UnreadCountResponse,
  UpdateDialogParams,
  UpdateMessageParams,
} from './chat/types.js';
export type {
  Contact,
  GetRegisteredUsersParams,
  GetRegisteredUsersResponse,
  RegisteredUser,
  UploadAddressBookParams,
  UploadAddressBookResponse,
} from './addressbook/types.js';
export { DataPermission, DataPermissionAccess } from './data/types.js';
export type { DataService } from './data/data-service.js';
export type {
  DataCondition,
  DataCreateRecord,
  DataDeleteResponse,
  DataListParams,
  DataListResponse,
  DataPermissionOptions,
  DataPermissions,
  DataReadPermissionsResponse,
  DataRecord,
  DataUpdateOptions,
  DataUpdateResponse,
} from './data/types.js';
export type {
  Blob,
  BlobObjectAccess,
  BlobResponse,
  CreateAndUploadParams,
  CreateBlobParams,
  FileData,
  GetFileObjectParams,
  MarkUploadedParams,
  StorageListParams,
  StorageListResponse,
  UpdateBlobParams,
  UploadParams,
} from './storage/types.js';

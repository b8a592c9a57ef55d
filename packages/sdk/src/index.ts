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
export type { AuthService } from './auth/auth-service.js';
export type { UsersService } from './users/users-service.js';
export type { ChatService } from './chat/index.js';
export type { DialogsService } from './chat/dialogs.js';
export type { MessagesService } from './chat/messages.js';
export type { ChatHelpers } from './chat/helpers.js';
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

/**
 * The error catalogue: every expected failure Parley reports, with its ConnectyCube wire form.
 * Domain code refers to failures by code; each face (HTTP now, XMPP later) maps codes to its wire.
 * `docs/errors.md` is generated from this table.
 */

/** Which of the contract's three error body shapes (rest.md §1.5) an error uses. */
export type ErrorShape = 'base' | 'list' | 'field';

export interface ErrorDefinition {
  readonly status: number;
  readonly shape: ErrorShape;
  /** Default message; field errors carry their own per field. */
  readonly message: string;
  /**
   * The text actually sent when the server always words it itself, with `<placeholders>` for the parts
   * that vary (docs/errors.md shows this; a test checks the server sends it).
   */
  readonly sentAs?: string;
  readonly description: string;
}

export const errorCatalogue = {
  SESSION_NOT_FOUND: {
    status: 401,
    shape: 'base',
    message: 'Required session does not exist',
    description: 'The CB-Token is unknown, expired or destroyed. The exact text makes the official SDK call on.sessionExpired.',
  },
  TOKEN_REQUIRED: {
    status: 401,
    shape: 'base',
    message: 'Token is required',
    description: 'The route needs a session token (or, for sign-up, an application auth key) and none was sent.',
  },
  APP_UNAUTHORIZED: {
    status: 401,
    shape: 'base',
    message: 'Unauthorized',
    description: 'Unknown application id or auth key.',
  },
  INVALID_PASSWORD: {
    status: 401,
    shape: 'list',
    message: 'Invalid password',
    description: 'The password does not match the user.',
  },
  USER_UNAUTHORIZED: {
    status: 401,
    shape: 'list',
    message: 'Unauthorized',
    description: 'No such user (login on an existing session never creates one), or the user may not sign in this way.',
  },
  NEED_USER: {
    status: 403,
    shape: 'base',
    message: 'Forbidden. Need user.',
    description: 'An application session called a route that needs a user session.',
  },
  FORBIDDEN: {
    status: 403,
    shape: 'base',
    message: 'Forbidden',
    description: 'Authenticated, but not allowed to do this (for example, changing another user).',
  },
  CHAT_FORBIDDEN: {
    status: 403,
    shape: 'list',
    message: 'Forbidden',
    description: "The user's role in the dialog does not allow this (see the permission table of rest.md §4.2).",
  },
  USERS_V1_DISABLED: {
    status: 403,
    shape: 'base',
    message: 'Users retrieving forbidden in admin panel, application settings. Setup it in admin panel, application settings',
    description: 'The application has turned the deprecated V1 user lookups off.',
  },
  MALFORMED_REQUEST: {
    status: 400,
    shape: 'base',
    message: 'Malformed request body',
    description: 'The body could not be parsed (for example, invalid JSON).',
  },
  NOT_FOUND: {
    status: 404,
    shape: 'base',
    message: 'Not found',
    description: 'The addressed resource does not exist in this application.',
  },
  CHAT_NOT_FOUND: {
    status: 404,
    shape: 'list',
    message: "The resource wasn't found",
    description: 'A chat dialog or message does not exist in this application (the cloud text clients rely on).',
  },
  DATA_CLASS_NOT_FOUND: {
    status: 404,
    shape: 'base',
    message: 'Class not found',
    description: 'The custom-object class named in the path is not defined in this application (rest.md §6, [A-15]).',
  },
  DATA_RECORD_NOT_FOUND: {
    status: 404,
    shape: 'base',
    message: 'Record not found',
    description: 'No record of this custom-object class has the id in the path.',
  },
  ADMIN_UNAUTHORIZED: {
    status: 401,
    shape: 'base',
    message: 'Admin token is missing or wrong',
    description: 'An admin route was called without `Authorization: Bearer <PARLEY_ADMIN_TOKEN>` (or another token) and without a signed-in operator\'s session cookie.',
  },
  ROUTE_NOT_FOUND: {
    status: 404,
    shape: 'base',
    message: 'Route not found',
    sentAs: 'No route for <METHOD> <path>',
    description: 'No route answers this method and path.',
  },
  BODY_TOO_LARGE: {
    status: 413,
    shape: 'base',
    message: 'Request body is too large',
    description: 'The body is larger than PARLEY_BODY_LIMIT.',
  },
  HEADERS_TOO_LARGE: {
    status: 431,
    shape: 'base',
    message: 'Request headers are too large',
    description: 'The request line and headers together exceed what the HTTP server accepts (16 KB); nothing was processed.',
  },
  MALFORMED_URL: {
    status: 400,
    shape: 'base',
    message: 'Malformed URL',
    description: 'The request path could not be decoded (for example a lone `%`).',
  },
  BLOB_TOO_LARGE: {
    status: 413,
    shape: 'base',
    message: 'File is too large',
    sentAs: 'File is too large (the limit is <PARLEY_BLOB_MAX_BYTES> bytes)',
    description: 'An uploaded file is larger than PARLEY_BLOB_MAX_BYTES; nothing of it is kept.',
  },
  UPLOAD_FILE_MISSING: {
    status: 400,
    shape: 'base',
    message: 'The upload has no file part',
    description: 'A blob upload (multipart/form-data) ended without its `file` part.',
  },
  UPLOAD_URL_USED: {
    status: 403,
    shape: 'base',
    message: 'This upload URL was already used',
    description: 'A signed upload URL is single-use: once a file was uploaded through it (or the blob was declared complete), it answers 403; a file is never replaced.',
  },
  UPLOAD_SIGNATURE_INVALID: {
    status: 403,
    shape: 'base',
    message: 'Upload signature is invalid or expired',
    description: 'The signed fields of a blob upload (or download) URL were altered, forged or are past their expiry.',
  },
  RANGE_NOT_SATISFIABLE: {
    status: 416,
    shape: 'base',
    message: 'Requested range not satisfiable',
    description: 'A file download asked for a byte range outside the file; Content-Range gives the size.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    shape: 'base',
    message: 'Unsupported content type',
    description: 'The body has a content type Parley does not read on this route.',
  },
  VALIDATION_FAILED: {
    status: 422,
    shape: 'field',
    message: 'is invalid',
    description: 'A named input field is missing, has the wrong type or breaks a rule; the body names each field.',
  },
  QUERY_INVALID: {
    status: 422,
    shape: 'base',
    message: 'Invalid query',
    description: 'A list query breaks the filter rules (for example, users V2 without a primary filter).',
  },
  PROVIDER_NOT_SUPPORTED: {
    status: 422,
    shape: 'base',
    message: 'Provider not supported',
    description: 'Login through facebook, twitter or firebase needs a verifier, and none is configured.',
  },
  RATE_LIMITED: {
    status: 429,
    shape: 'base',
    message: 'Too many failed login attempts, try again later',
    description: 'Too many failed logins for this application, login and address; Retry-After says when to try again.',
  },
  AI_RATE_LIMITED: {
    status: 429,
    shape: 'base',
    message: 'Too many AI requests, try again later',
    description: 'The user made more AI requests in the last minute than the application allows; Retry-After says when to try again.',
  },
  AI_QUOTA_EXCEEDED: {
    status: 429,
    shape: 'base',
    message: 'The application has used its AI quota, try again later',
    description: "The application's daily AI request quota is used up; Retry-After says when it renews.",
  },
  AI_NOT_CONFIGURED: {
    status: 503,
    shape: 'base',
    message: 'No AI provider is configured',
    description: 'The route needs an AI provider, and neither the application nor the server has one (PARLEY_AI_PROVIDER, admin API).',
  },
  AI_PROVIDER_FAILED: {
    status: 502,
    shape: 'base',
    message: 'The AI provider failed to answer',
    description: "The AI provider refused or failed the call; the provider's own answer is not passed on.",
  },
  AI_PROVIDER_TIMEOUT: {
    status: 504,
    shape: 'base',
    message: 'The AI provider did not answer in time',
    description: 'The AI provider took longer than PARLEY_AI_TIMEOUT.',
  },
  OPERATOR_SIGN_IN_FAILED: {
    status: 401,
    shape: 'base',
    message: 'Unknown login or wrong password',
    description: 'A dashboard sign-in (`POST /admin/session`) named no operator or gave the wrong password; failures are counted and throttled.',
  },
  CSRF_TOKEN_INVALID: {
    status: 403,
    shape: 'base',
    message: 'CSRF token is missing or wrong',
    description: 'A state-changing admin call made with an operator cookie lacked the `X-CSRF-Token` header of that session, or sent another.',
  },
  INTERNAL: {
    status: 500,
    shape: 'base',
    message: 'Internal server error',
    description: 'A bug. The log has the details under the request id; the client never sees them.',
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof errorCatalogue;

/** The wire body of an error, in the shape its catalogue entry names. */
export type ErrorBody =
  | { errors: { base: string[] } }
  | { errors: string[] }
  | { errors: Record<string, string[]> };

export function errorBody(code: ErrorCode, message?: string, fields?: Record<string, string[]>): ErrorBody {
  const definition: ErrorDefinition = errorCatalogue[code];
  const text = message ?? definition.message;
  switch (definition.shape) {
    case 'list':
      return { errors: [text] };
    case 'field':
      return { errors: fields && Object.keys(fields).length > 0 ? fields : { base: [text] } };
    default:
      return { errors: { base: [text] } };
  }
}

// Node entry of @parley/sdk (package.json "node" condition). Like the official SDK's Node build, the
// real-time chat falls back to the `ws` package when the runtime has no global WebSocket (Node 20), so
// switching SDKs stays a different import and nothing else.
import WebSocket from 'ws';
import { useDefaultWebSocket, type WebSocketConstructor } from './chat/realtime/config.js';
import ConnectyCube from './index.js';

useDefaultWebSocket(WebSocket as unknown as WebSocketConstructor);

export * from './index.js';
export default ConnectyCube;

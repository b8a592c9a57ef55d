import { chatRealtimeScenarios } from '../scenarios/chat-realtime.js';
import { parleySdk } from '../scenarios/sdk.js';

chatRealtimeScenarios(parleySdk);

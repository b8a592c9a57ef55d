import { chatRealtimeScenarios } from '../scenarios/chat-realtime.js';
import { officialSdk } from '../scenarios/sdk.js';

chatRealtimeScenarios(officialSdk);

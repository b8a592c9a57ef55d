import { addressBookScenarios } from '../scenarios/addressbook.js';
import { authAndUserScenarios } from '../scenarios/auth-users.js';
import { chatEditsScenarios } from '../scenarios/chat-edits.js';
import { chatPrivacyScenarios } from '../scenarios/chat-privacy.js';
import { chatRealtimeScenarios } from '../scenarios/chat-realtime.js';
import { chatRestScenarios } from '../scenarios/chat-rest.js';
import { chatSampleScenarios } from '../scenarios/chat-sample.js';
import { dataScenarios } from '../scenarios/data.js';
import { meetingScenarios } from '../scenarios/meetings.js';
import { pushScenarios } from '../scenarios/push.js';
import { clusterOn, officialSdk } from '../scenarios/sdk.js';
import { storageScenarios } from '../scenarios/storage.js';

// The official SDK's scenarios, unchanged, on two nodes sharing PostgreSQL and Redis; each person's SDK
// instance talks to the next node in turn, so every conversation crosses the bus.
const targets = [clusterOn('redis')];
authAndUserScenarios(officialSdk, targets);
chatRestScenarios(officialSdk, targets);
chatRealtimeScenarios(officialSdk, targets);
chatEditsScenarios(officialSdk, targets);
chatPrivacyScenarios(officialSdk, targets);
chatSampleScenarios(officialSdk, targets);
addressBookScenarios(officialSdk, targets);
dataScenarios(officialSdk, targets);
storageScenarios(officialSdk, targets);
meetingScenarios(officialSdk, targets);
pushScenarios(officialSdk, targets);

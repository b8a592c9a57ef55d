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
import { clusterOn, parleySdk } from '../scenarios/sdk.js';
import { storageScenarios } from '../scenarios/storage.js';

// @parley/sdk's scenarios, unchanged, on two nodes sharing PostgreSQL and NATS; each person's SDK
// instance talks to the next node in turn, so every conversation crosses the bus.
const targets = [clusterOn('nats')];
authAndUserScenarios(parleySdk, targets);
chatRestScenarios(parleySdk, targets);
chatRealtimeScenarios(parleySdk, targets);
chatEditsScenarios(parleySdk, targets);
chatPrivacyScenarios(parleySdk, targets);
chatSampleScenarios(parleySdk, targets);
addressBookScenarios(parleySdk, targets);
dataScenarios(parleySdk, targets);
storageScenarios(parleySdk, targets);
meetingScenarios(parleySdk, targets);
pushScenarios(parleySdk, targets);

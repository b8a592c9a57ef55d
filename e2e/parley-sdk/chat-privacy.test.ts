import { chatPrivacyScenarios } from '../scenarios/chat-privacy.js';
import { parleySdk } from '../scenarios/sdk.js';

chatPrivacyScenarios(parleySdk);

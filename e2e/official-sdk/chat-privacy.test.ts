import { chatPrivacyScenarios } from '../scenarios/chat-privacy.js';
import { officialSdk } from '../scenarios/sdk.js';

chatPrivacyScenarios(officialSdk);

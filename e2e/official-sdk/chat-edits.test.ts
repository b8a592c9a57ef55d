import { chatEditsScenarios } from '../scenarios/chat-edits.js';
import { officialSdk } from '../scenarios/sdk.js';

chatEditsScenarios(officialSdk);

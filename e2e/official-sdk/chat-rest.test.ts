import { chatRestScenarios } from '../scenarios/chat-rest.js';
import { officialSdk } from '../scenarios/sdk.js';

chatRestScenarios(officialSdk);

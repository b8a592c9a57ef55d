import { chatSampleScenarios } from '../scenarios/chat-sample.js';
import { officialSdk } from '../scenarios/sdk.js';

chatSampleScenarios(officialSdk);

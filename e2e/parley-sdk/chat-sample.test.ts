import { chatSampleScenarios } from '../scenarios/chat-sample.js';
import { parleySdk } from '../scenarios/sdk.js';

chatSampleScenarios(parleySdk);

import { chatRestScenarios } from '../scenarios/chat-rest.js';
import { parleySdk } from '../scenarios/sdk.js';

chatRestScenarios(parleySdk);

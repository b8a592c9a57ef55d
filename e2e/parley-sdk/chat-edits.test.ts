import { chatEditsScenarios } from '../scenarios/chat-edits.js';
import { parleySdk } from '../scenarios/sdk.js';

chatEditsScenarios(parleySdk);

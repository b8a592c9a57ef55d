import { meetingScenarios } from '../scenarios/meetings.js';
import { parleySdk } from '../scenarios/sdk.js';

meetingScenarios(parleySdk);

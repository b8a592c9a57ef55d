import { meetingScenarios } from '../scenarios/meetings.js';
import { officialSdk } from '../scenarios/sdk.js';

meetingScenarios(officialSdk);

import { pushScenarios } from '../scenarios/push.js';
import { officialSdk } from '../scenarios/sdk.js';

pushScenarios(officialSdk);

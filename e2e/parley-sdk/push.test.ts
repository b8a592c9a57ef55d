import { pushScenarios } from '../scenarios/push.js';
import { parleySdk } from '../scenarios/sdk.js';

pushScenarios(parleySdk);

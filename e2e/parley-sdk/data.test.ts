import { dataScenarios } from '../scenarios/data.js';
import { parleySdk } from '../scenarios/sdk.js';

dataScenarios(parleySdk);

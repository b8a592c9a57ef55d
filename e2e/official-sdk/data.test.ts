import { dataScenarios } from '../scenarios/data.js';
import { officialSdk } from '../scenarios/sdk.js';

dataScenarios(officialSdk);

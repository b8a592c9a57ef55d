import { officialSdk } from '../scenarios/sdk.js';
import { storageScenarios } from '../scenarios/storage.js';

storageScenarios(officialSdk);

import { parleySdk } from '../scenarios/sdk.js';
import { storageScenarios } from '../scenarios/storage.js';

storageScenarios(parleySdk);

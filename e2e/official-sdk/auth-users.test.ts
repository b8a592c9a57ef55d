import { authAndUserScenarios } from '../scenarios/auth-users.js';
import { officialSdk } from '../scenarios/sdk.js';

authAndUserScenarios(officialSdk);

import { authAndUserScenarios } from '../scenarios/auth-users.js';
import { parleySdk } from '../scenarios/sdk.js';

authAndUserScenarios(parleySdk);

import { addressBookScenarios } from '../scenarios/addressbook.js';
import { officialSdk } from '../scenarios/sdk.js';

addressBookScenarios(officialSdk);

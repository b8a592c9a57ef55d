import { addressBookScenarios } from '../scenarios/addressbook.js';
import { parleySdk } from '../scenarios/sdk.js';

addressBookScenarios(parleySdk);

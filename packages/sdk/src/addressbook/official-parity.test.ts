// The official SDK is the oracle: every address-book call must produce its URL, method, headers,
// body and response mode byte for byte.
import { describe, it, expect, beforeAll } from 'vitest';
import OfficialConnectyCube, { AddressBookUserDataType as OfficialDataType } from 'connectycube';
import type { ConnectyCube } from '../connectycube.js';
import { initOfficial, officialWire, parleyWire } from '../testing/official-wire.js';
import { recordingClient } from '../testing/recording-client.js';
import { AddressBookUserDataType } from './types.js';

type AddressBook = ConnectyCube['addressbook'];

const CONTACTS = [
  { name: 'Gordie Kann', phone: '1879108395' },
  { name: 'Wildon Gilleon ✓', phone: '+1 (275) 910-8396' },
  { phone: '3759108396', destroy: 1 },
];

/** One call per line, written once and run on both SDKs. */
const CASES: Array<[string, (book: AddressBook) => Promise<unknown>]> = [
  ['uploadAddressBook(contacts)', (b) => b.uploadAddressBook(CONTACTS)],
  ['uploadAddressBook(contacts, {force, udid})', (b) => b.uploadAddressBook(CONTACTS, { force: 1, udid: 'd6236da0-f941-11e8' })],
  ['uploadAddressBook(contacts, {udid} first)', (b) => b.uploadAddressBook(CONTACTS, { udid: 'X', force: '1' })],
  ['uploadAddressBook([])', (b) => b.uploadAddressBook([])],
  ['uploadAddressBook()', (b) => b.uploadAddressBook()],
  ['get()', (b) => b.get()],
  ['get(udid)', (b) => b.get('A337E8A2-80AD 8ABA')],
  ['get("")', (b) => b.get('')],
  ['getRegisteredUsers()', (b) => b.getRegisteredUsers()],
  ['getRegisteredUsers(true)', (b) => b.getRegisteredUsers(true)],
  ['getRegisteredUsers(false)', (b) => b.getRegisteredUsers(false)],
  ['getRegisteredUsers({udid, compact})', (b) => b.getRegisteredUsers({ udid: 'A337E8A2', compact: AddressBookUserDataType.COMPACT })],
  ['getRegisteredUsers({compact: 0})', (b) => b.getRegisteredUsers({ compact: 0 })],
];

describe('addressbook against the official SDK', () => {
  beforeAll(initOfficial);

  it.each(CASES)('%s sends the same request and reads the response the same way', async (_name, call) => {
    const theirs = await officialWire('addressbook', call);
    const ours = await parleyWire('addressbook', call);
    expect(ours).toEqual(theirs);
  });

  it('rejects a non-array contact list before sending, with the same message', async () => {
    const notAList = { name: 'Ann', phone: '5550100200' } as unknown as [];
    const theirs = await OfficialConnectyCube.addressbook.uploadAddressBook(notAList).catch((error: unknown) => error);
    const { cc, calls } = recordingClient();
    const ours = await cc.addressbook.uploadAddressBook(notAList).catch((error: unknown) => error);
    expect(ours).toBeInstanceOf(Error);
    expect((ours as Error).message).toBe((theirs as Error).message);
    expect(calls).toHaveLength(0);
  });

  it('exports AddressBookUserDataType with the same keys and values', () => {
    expect({ ...AddressBookUserDataType }).toEqual({ ...OfficialDataType });
  });
});

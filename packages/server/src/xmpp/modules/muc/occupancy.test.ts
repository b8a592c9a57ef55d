import { describe, expect, it } from 'vitest';
import { RoomOccupancy } from './occupancy.js';

const room = { appId: 42, dialogId: '64a1f0c2e4b0a1b2c3d4e5f6' };
const otherApp = { appId: 43, dialogId: room.dialogId };

describe('RoomOccupancy', () => {
  it('announces a user on the first connection and ends them with the last', () => {
    const rooms = new RoomOccupancy<string>();
    expect(rooms.join(room, 5, 'phone')).toEqual({ firstOfUser: true, alreadyJoined: false });
    expect(rooms.join(room, 5, 'laptop')).toEqual({ firstOfUser: false, alreadyJoined: false });
    expect(rooms.join(room, 5, 'laptop')).toEqual({ firstOfUser: false, alreadyJoined: true });
    expect(rooms.leave(room, 5, 'phone')).toEqual({ wasJoined: true, lastOfUser: false });
    expect(rooms.leave(room, 5, 'phone')).toEqual({ wasJoined: false, lastOfUser: false });
    expect(rooms.leave(room, 5, 'laptop')).toEqual({ wasJoined: true, lastOfUser: true });
    expect(rooms.occupants(room).size).toBe(0);
  });

  it('keeps rooms of different apps apart', () => {
    const rooms = new RoomOccupancy<string>();
    rooms.join(room, 5, 'a');
    rooms.join(otherApp, 6, 'b');
    expect([...rooms.occupants(room).keys()]).toEqual([5]);
    expect(rooms.sessions(otherApp)).toEqual(['b']);
    expect(rooms.isJoined(otherApp, 'a')).toBe(false);
  });

  it('leaves every room of a closed connection', () => {
    const rooms = new RoomOccupancy<string>();
    const second = { appId: 42, dialogId: '64a1f0c2e4b0a1b2c3d4e5f7' };
    rooms.join(room, 5, 'a');
    rooms.join(second, 5, 'a');
    rooms.join(second, 5, 'b');
    expect(rooms.leaveAll('a')).toEqual([
      { room, userId: 5, lastOfUser: true },
      { room: second, userId: 5, lastOfUser: false },
    ]);
    expect(rooms.leaveAll('a')).toEqual([]);
    expect(rooms.sessions(second)).toEqual(['b']);
  });
});

import type { Page } from 'playwright-core';
import type { Attendee } from './conference-fixture.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- page globals (the SDKs, sessions) are untyped */

export interface JoinTarget {
  api: string;
  conference: string;
  appId: number;
  room: string;
}

/**
 * Joins `who` with the SDK the page loaded (official: `window.ConnectyCube`; @parley/sdk: a new
 * `ParleyConnectyCube.ConnectyCube()` per user, so one page can hold several). Each user's events and
 * session are kept in `window.users[id]`.
 */
export function joinConference(page: Page, target: JoinTarget, who: Attendee, options: { listener?: boolean; video?: { width: number; height: number; frameRate?: number } } = {}): Promise<void> {
  return page.evaluate(
    async ({ target, who, options }) => {
      const w = window as any;
      const cube = w.ParleyConnectyCube ? new w.ParleyConnectyCube.ConnectyCube() : w.ConnectyCube;
      cube.init({ appId: target.appId, token: who.token }, { endpoints: { api_url: target.api }, conference: { server: target.conference }, debug: { mode: 0 } });
      const state = { joined: [] as number[], left: [] as number[], streams: [] as number[], errors: [] as string[], session: undefined as any, cube };
      (w.users ??= {})[who.id] = state;
      const conf = cube.videochatconference;
      conf.onParticipantJoinedListener = (_s: unknown, userId: number) => state.joined.push(userId);
      conf.onParticipantLeftListener = (_s: unknown, userId: number) => state.left.push(userId);
      conf.onRemoteStreamListener = (_s: unknown, userId: number) => state.streams.push(userId);
      conf.onErrorListener = (_s: unknown, error: unknown) => state.errors.push(String(error));
      const session = conf.createNewSession();
      state.session = session;
      if (options.listener) return session.joinAsListener(target.room, who.id, who.login);
      await session.getUserMedia({ audio: true, video: options.video ?? { width: 320, height: 240 } });
      return session.join(target.room, who.id, who.login);
    },
    { target, who, options },
  );
}

export interface UserEvents {
  joined: number[];
  left: number[];
  streams: number[];
  errors: string[];
}

export const userEvents = (page: Page, userId: number) =>
  page.evaluate((id) => {
    const { joined, left, streams, errors } = (window as any).users[id];
    return { joined, left, streams, errors };
  }, userId) as Promise<UserEvents>;

/** Calls a method of the user's conference session in the page and returns its (awaited) result. */
export const sessionCall = (page: Page, userId: number, method: string, ...args: unknown[]) =>
  page.evaluate(({ id, method, args }) => (window as any).users[id].session[method](...args), { id: userId, method, args });

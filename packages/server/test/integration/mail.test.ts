import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, sessionToken, startServer, type TestServer } from '@parley/testkit';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A local SMTP receiver: every message it accepts, in order. */
async function smtpReceiver() {
  const inbox: Received[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        inbox.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
        waiters.splice(0).forEach((wake) => wake());
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    inbox,
    /** The next message (after `seen` already in the inbox). */
    async next(seen: number): Promise<Received> {
      while (inbox.length <= seen) await new Promise<void>((resolve) => waiters.push(resolve));
      return inbox[seen] as Received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Mail (PARLEY_SMTP_URL): meeting invitations, updates and reminders, and password reset links. */
describe('mail over SMTP', () => {
  let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
  let server: TestServer;
  const signUp = async (login: string, email: string) => {
    const token = await sessionToken(server.url, server.app, { login, password: 'password123' });
    await rawRequest(server.url, '/users.json', { method: 'PUT', token, body: { user: { email } } });
    const me = await rawRequest(server.url, '/session.json', { token });
    return { token, id: (me.json as { session: { user_id: number } }).session.user_id };
  };

  beforeAll(async () => {
    smtp = await smtpReceiver();
    server = await startServer({ config: { smtpUrl: smtp.url, mailFrom: 'Parley <meetings@parley.test>' } });
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
  });

  it('mails an invitation to every attendee, then updates and a reminder (§9 notify)', async () => {
    const host = await signUp('mail-host', 'host@parley.test');
    const guest = await signUp('mail-guest', 'guest@parley.test');
    const start = Math.floor(Date.now() / 1000) + 300;
    const seen = smtp.inbox.length;
    const created = await rawRequest(server.url, '/meetings.json', {
      method: 'POST', token: host.token,
      body: { name: 'Quarterly planning', start_date: start, end_date: start + 3600, attendees: [{ id: guest.id }, { email: 'outside@example.org' }, { id: host.id }], notify: true, notify_before: { metric: 'minutes', value: 10 } },
    });
    expect(created.status).toBe(201);
    const meetingId = (created.json as { _id: string })._id;
    const invitation = await smtp.next(seen);
    expect(invitation.from).toBe('meetings@parley.test');
    expect(new Set(invitation.to)).toEqual(new Set(['guest@parley.test', 'outside@example.org']));
    expect(invitation.raw).toMatch(/Subject: Invitation: Quarterly planning/);
    expect(invitation.raw).toContain(meetingId);

    await rawRequest(server.url, `/meetings/${meetingId}.json`, { method: 'PUT', token: host.token, body: { start_date: start + 60, end_date: start + 3660 } });
    const update = await smtp.next(seen + 1);
    expect(update.raw).toMatch(/Subject: Updated: Quarterly planning/);
    expect(new Set(update.to)).toEqual(new Set(['guest@parley.test', 'outside@example.org']));

    // The reminder is due (10 minutes before a start 5 minutes away); it is sent once.
    expect(await server.server.services.meetingMail.sendDueReminders()).toBe(1);
    const reminder = await smtp.next(seen + 2);
    expect(reminder.raw).toMatch(/Subject: Reminder: Quarterly planning/);
    expect(await server.server.services.meetingMail.sendDueReminders()).toBe(0);

    // Without notify nobody is mailed.
    await rawRequest(server.url, '/meetings.json', { method: 'POST', token: host.token, body: { name: 'Quiet', start_date: start, end_date: start + 60, attendees: [{ id: guest.id }] } });
    await rawRequest(server.url, `/meetings/${meetingId}.json`, { method: 'PUT', token: host.token, body: { record: true } });
    await rawRequest(server.url, `/meetings/${meetingId}.json`, { method: 'PUT', token: host.token, body: { name: 'Renamed planning' } });
    // The next mail is the rename's: the quiet meeting and the record switch sent none.
    expect((await smtp.next(seen + 3)).raw).toMatch(/Subject: Updated: Renamed planning/);
  });

  it('mails a password reset link that sets a new password once', async () => {
    await signUp('mail-reset', 'reset@parley.test');
    const seen = smtp.inbox.length;
    const appToken = await sessionToken(server.url, server.app);
    const asked = await rawRequest(server.url, '/users/password/reset.json', { method: 'POST', token: appToken, body: { email: 'reset@parley.test' } });
    expect(asked.status).toBe(200);
    const mail = await smtp.next(seen);
    expect(mail.to).toEqual(['reset@parley.test']);
    const link = /(http:\/\/\S+\/users\/password\/reset\/confirm\?\S+)/.exec(mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='))?.[1] ?? '';
    expect(link).not.toBe('');
    const form = await fetch(link);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<form method="post">');

    const tooShort = await fetch(link, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'password=x' });
    expect(tooShort.status).toBe(422);
    const set = await fetch(link, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'password=brand-new-secret' });
    expect(set.status).toBe(200);
    await expect(sessionToken(server.url, server.app, { login: 'mail-reset', password: 'brand-new-secret' })).resolves.toMatch(/\w+/);
    // Used once: the link is bound to the old password.
    expect((await fetch(link)).status).toBe(404);
    expect((await fetch(link.replace(/signature=\w+/, 'signature=00'))).status).toBe(404);

    // Unknown emails answer the same and mail nothing.
    const unknown = await rawRequest(server.url, '/users/password/reset.json', { method: 'POST', token: appToken, body: { email: 'nobody@parley.test' } });
    expect(unknown.status).toBe(200);
    expect(smtp.inbox.length).toBe(seen + 1);
  });
});

import type { Mailer } from '../../ports/mailer.js';
import type { MeetingRecord } from '../../ports/meetings.js';
import type { Store } from '../../ports/store.js';
import type { Clock } from '../shared/actor.js';
import type { MeetingObserver } from './service.js';

export interface MeetingMailLog {
  warn(data: object, message: string): void;
}

const REMINDER_BATCH = 100;

function when(meeting: MeetingRecord): string {
  const start = new Date(meeting.startDate * 1000);
  const end = new Date(meeting.endDate * 1000);
  const zone = meeting.timezone ? ` (${meeting.timezone.name})` : '';
  return `${start.toISOString().replace('T', ' ').slice(0, 16)} – ${end.toISOString().replace('T', ' ').slice(0, 16)} UTC${zone}`;
}

/**
 * Meeting mail (rest.md §9 `notify`): invitations when a meeting is created, updates when its time,
 * name or attendees change, and reminders `notify_before` its start. Attendees are mailed at their
 * given email, or at the email of their user account.
 */
export class MeetingMail implements MeetingObserver {
  constructor(
    private readonly store: Pick<Store, 'meetings' | 'users'>,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    private readonly log: MeetingMailLog,
  ) {}

  created(meeting: MeetingRecord): void {
    if (meeting.notify) this.mail(meeting, `Invitation: ${meeting.name}`, 'You are invited to a meeting.');
  }

  updated(before: MeetingRecord, after: MeetingRecord): void {
    if (!after.notify) return;
    const turnedOn = !before.notify;
    const changed = before.name !== after.name || before.startDate !== after.startDate || before.endDate !== after.endDate || JSON.stringify(before.attendees) !== JSON.stringify(after.attendees);
    if (turnedOn) this.mail(after, `Invitation: ${after.name}`, 'You are invited to a meeting.');
    else if (changed) this.mail(after, `Updated: ${after.name}`, 'A meeting you are invited to has changed.');
  }

  /** Sends the reminders that are due (called periodically); each is taken once across nodes. */
  async sendDueReminders(): Promise<number> {
    if (!this.mailer.enabled) return 0;
    const now = Math.floor(this.clock() / 1000);
    let sent = 0;
    for (const meeting of await this.store.meetings.dueReminders(now, REMINDER_BATCH)) {
      if (meeting.remindAt === null || !(await this.store.meetings.takeReminder(meeting.appId, meeting.id, meeting.remindAt))) continue;
      await this.deliver(meeting, `Reminder: ${meeting.name}`, 'A meeting you are invited to starts soon.');
      sent += 1;
    }
    return sent;
  }

  private mail(meeting: MeetingRecord, subject: string, lead: string): void {
    if (!this.mailer.enabled) return;
    void this.deliver(meeting, subject, lead).catch((error: unknown) => this.log.warn({ err: error, meeting: meeting.id }, 'meeting mail failed'));
  }

  private async deliver(meeting: MeetingRecord, subject: string, lead: string): Promise<void> {
    const to = await this.recipients(meeting);
    if (to.length === 0) return;
    const host = await this.store.users.findById(meeting.appId, meeting.hostId);
    const text = [
      lead,
      '',
      `Meeting: ${meeting.name}`,
      `When: ${when(meeting)}`,
      `Host: ${host?.fullName ?? host?.login ?? host?.email ?? `user ${meeting.hostId}`}`,
      `Meeting id: ${meeting.id}`,
      '',
    ].join('\n');
    await this.mailer.send({ to, subject, text });
  }

  private async recipients(meeting: MeetingRecord): Promise<string[]> {
    const emails = new Set<string>();
    const lookup: number[] = [];
    for (const attendee of meeting.attendees) {
      if (attendee.id === meeting.hostId) continue;
      if (attendee.email) emails.add(attendee.email);
      else if (attendee.id !== undefined) lookup.push(attendee.id);
    }
    for (const user of await this.store.users.findByIds(meeting.appId, lookup)) if (user.email) emails.add(user.email);
    return [...emails];
  }
}

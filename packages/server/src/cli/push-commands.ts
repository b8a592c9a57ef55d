import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DomainFailure } from '../domain/shared/failure.js';
import type { WithServices } from './data-commands.js';

interface SetOptions {
  app: string;
  fcmServiceAccount?: string;
  fcmRemove?: boolean;
  apnsKeyFile?: string;
  apnsKeyId?: string;
  apnsTeamId?: string;
  apnsBundleId?: string;
  apnsRemove?: boolean;
  vapidSubject?: string;
  vapidRegenerate?: boolean;
  chatAlertTemplate?: string;
  contactJoined?: string;
  callPushes?: string;
}

function onOff(value: string | undefined, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'on' || value === 'true') return true;
  if (value === 'off' || value === 'false') return false;
  throw new DomainFailure('VALIDATION_FAILED', { fields: { [field]: ['must be on or off'] } });
}

function readText(file: string, field: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new DomainFailure('VALIDATION_FAILED', { fields: { [field]: [`cannot read ${file}`] } });
  }
}

/** The admin API's PUT body from the command's options (only what was given changes). */
export function pushSettingsChange(options: SetOptions): Record<string, unknown> {
  const change: Record<string, unknown> = {};
  if (options.fcmRemove) change.fcm = null;
  else if (options.fcmServiceAccount !== undefined) change.fcm = { service_account: readText(options.fcmServiceAccount, 'fcm.service_account') };
  if (options.apnsRemove) change.apns = null;
  else if (options.apnsKeyFile !== undefined || options.apnsKeyId !== undefined || options.apnsTeamId !== undefined || options.apnsBundleId !== undefined) {
    change.apns = {
      key_id: options.apnsKeyId,
      team_id: options.apnsTeamId,
      bundle_id: options.apnsBundleId,
      private_key: options.apnsKeyFile === undefined ? undefined : readText(options.apnsKeyFile, 'apns.private_key'),
    };
  }
  if (options.vapidRegenerate) change.vapid = { regenerate: true, ...(options.vapidSubject ? { subject: options.vapidSubject } : {}) };
  else if (options.vapidSubject !== undefined) change.vapid = { subject: options.vapidSubject };
  if (options.chatAlertTemplate !== undefined) change.chat_alert_template = options.chatAlertTemplate;
  const contactJoined = onOff(options.contactJoined, 'contact_joined');
  if (contactJoined !== undefined) change.contact_joined = contactJoined;
  const callPushes = onOff(options.callPushes, 'call_pushes');
  if (callPushes !== undefined) change.call_pushes = callPushes;
  return change;
}

/** `parley push show|set`: an application's push credentials and automatic pushes (secrets shown as fingerprints). */
export function registerPushCommands(program: Command, withServices: WithServices, print: (value: unknown) => void): void {
  const push = program.command('push').description('push notification settings of an application');

  push
    .command('show')
    .requiredOption('--app <id>', 'application id')
    .action(async (options: { app: string }) => {
      print(await withServices((services) => services.push.settings.view(Number(options.app))));
    });

  push
    .command('set')
    .description('change push settings; only the options given change')
    .requiredOption('--app <id>', 'application id')
    .option('--fcm-service-account <file>', 'Google service-account JSON file (FCM HTTP v1)')
    .option('--fcm-remove', 'remove the FCM credentials')
    .option('--apns-key-file <file>', 'APNs auth key (.p8)')
    .option('--apns-key-id <id>', 'APNs key id (10 characters)')
    .option('--apns-team-id <id>', 'Apple team id (10 characters)')
    .option('--apns-bundle-id <id>', 'app bundle id (the APNs topic; VoIP pushes add .voip)')
    .option('--apns-remove', 'remove the APNs credentials')
    .option('--vapid-subject <mailto-or-https>', 'VAPID subject (contact for push services)')
    .option('--vapid-regenerate', 'make new VAPID keys (existing web subscriptions stop working)')
    .option('--chat-alert-template <text>', 'chat alert text, with %{sender_name}, %{message_text}, %{dialog_name}')
    .option('--contact-joined <on|off>', 'push address-book owners when a contact signs up')
    .option('--call-pushes <on|off>', 'push offline callees when a call starts')
    .action(async (options: SetOptions) => {
      const change = pushSettingsChange(options);
      print(await withServices((services) => services.push.settings.update(Number(options.app), change)));
    });
}

import type { OptionDefinition } from '../option.js';

/** Outgoing mail. */
export const mailOptions = {
  smtpUrl: {
    env: 'PARLEY_SMTP_URL',
    flag: '--smtp-url',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'SMTP server for mail (meeting invitations, password reset), e.g. smtp://user:pass@mail.example.com:587; empty = mail off.',
  },
  mailFrom: {
    env: 'PARLEY_MAIL_FROM',
    flag: '--mail-from',
    type: { kind: 'string' },
    default: 'Parley <no-reply@localhost>',
    description: 'The From address of mail Parley sends.',
  },
} as const satisfies Record<string, OptionDefinition>;

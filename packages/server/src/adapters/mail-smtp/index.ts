import nodemailer from 'nodemailer';
import type { Mailer } from '../../ports/mailer.js';

/** Mail over SMTP with nodemailer (`smtp://user:pass@host:587`, `smtps://…`); '' = mail off. */
export function createSmtpMailer(url: string, from: string): Mailer {
  if (url === '') return { enabled: false, send: async () => undefined, close: () => undefined };
  const transport = nodemailer.createTransport(url);
  return {
    enabled: true,
    async send(mail) {
      if (mail.to.length === 0) return;
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
    close: () => transport.close(),
  };
}

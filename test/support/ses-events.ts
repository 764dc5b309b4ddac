import { randomUUID } from 'node:crypto';

/**
 * EventBridge events as SES v2 event publishing delivers them to a rule on the default bus:
 * the EventBridge envelope around the SES event record, shaped like the examples in the SES
 * developer guide ("Examples of event data that Amazon SES publishes").
 */
export interface MailOpts {
  to: string;
  at: Date;
  brand?: string;
  topic?: string;
  campaign?: string;
  messageId?: string;
  id?: string;
}

const ACCOUNT = '123456789012';
const REGION = 'ap-northeast-1';

function mail(o: MailOpts) {
  const messageId = o.messageId ?? `0106019a${randomUUID().replace(/-/g, '').slice(0, 8)}-${randomUUID()}-000000`;
  const sentAt = new Date(o.at.getTime() - 60_000).toISOString();
  return {
    timestamp: sentAt,
    source: 'livlog <news@livlog.jp>',
    sourceArn: `arn:aws:ses:${REGION}:${ACCOUNT}:identity/livlog.jp`,
    sendingAccountId: ACCOUNT,
    messageId,
    destination: [o.to],
    headersTruncated: false,
    headers: [
      { name: 'From', value: 'livlog <news@livlog.jp>' },
      { name: 'To', value: o.to },
      { name: 'Subject', value: 'Newsletter' },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ],
    commonHeaders: { from: ['livlog <news@livlog.jp>'], to: [o.to], messageId, subject: 'Newsletter' },
    tags: {
      'ses:configuration-set': ['privacy-backend'],
      'ses:source-ip': ['192.0.2.10'],
      'ses:from-domain': ['livlog.jp'],
      'ses:caller-identity': ['privacy-backend-campaign-worker'],
      ...(o.brand ? { brand: [o.brand] } : {}),
      ...(o.topic ? { topic: [o.topic] } : {}),
      ...(o.campaign ? { campaign: [o.campaign] } : {}),
      category: ['marketing'],
    },
  };
}

function envelope<D>(detailType: string, o: MailOpts, detail: D) {
  return {
    version: '0',
    id: o.id ?? randomUUID(),
    'detail-type': detailType,
    source: 'aws.ses',
    account: ACCOUNT,
    time: o.at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: REGION,
    resources: [`arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/privacy-backend`],
    detail,
  };
}

export function bounceEvent(o: MailOpts & { bounceType: 'Permanent' | 'Transient' | 'Undetermined' }) {
  const permanent = o.bounceType === 'Permanent';
  return envelope('Email Bounced', o, {
    eventType: 'Bounce',
    bounce: {
      feedbackId: `0106019a-${randomUUID()}-000000`,
      bounceType: o.bounceType,
      bounceSubType: permanent ? 'General' : 'MailboxFull',
      bouncedRecipients: [
        {
          emailAddress: o.to,
          action: 'failed',
          status: permanent ? '5.1.1' : '4.2.2',
          diagnosticCode: permanent ? 'smtp; 550 5.1.1 user unknown' : 'smtp; 452 4.2.2 mailbox full',
        },
      ],
      timestamp: o.at.toISOString(),
      reportingMTA: 'dns; a27-30.smtp-out.ap-northeast-1.amazonses.com',
    },
    mail: mail(o),
  });
}

export function complaintEvent(o: MailOpts) {
  return envelope('Email Complaint Received', o, {
    eventType: 'Complaint',
    complaint: {
      feedbackId: `0106019a-${randomUUID()}-000000`,
      complaintSubType: null,
      complainedRecipients: [{ emailAddress: o.to }],
      timestamp: o.at.toISOString(),
      userAgent: 'Yahoo!-Mail-Feedback/2.0',
      complaintFeedbackType: 'abuse',
      arrivalDate: o.at.toISOString(),
    },
    mail: mail(o),
  });
}

export function deliveryEvent(o: MailOpts) {
  return envelope('Email Delivered', o, {
    eventType: 'Delivery',
    mail: mail(o),
    delivery: {
      timestamp: o.at.toISOString(),
      processingTimeMillis: 1012,
      recipients: [o.to],
      smtpResponse: '250 2.0.0 OK  1732870800 d2e1a72fcca58-72d4a3b1f2esi1234567b3a.123 - gsmtp',
      reportingMTA: 'a27-30.smtp-out.ap-northeast-1.amazonses.com',
    },
  });
}

export function rejectEvent(o: MailOpts) {
  return envelope('Email Rejected', o, { eventType: 'Reject', mail: mail(o), reject: { reason: 'Bad content' } });
}

export function openEvent(o: MailOpts) {
  return envelope('Email Opened', o, {
    eventType: 'Open',
    mail: mail(o),
    open: { timestamp: o.at.toISOString(), userAgent: 'Mozilla/5.0', ipAddress: '192.0.2.1' },
  });
}

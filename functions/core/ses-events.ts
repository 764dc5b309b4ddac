import { z } from 'zod';
import { formatPath } from './brands';
import { ValidationError } from './errors';

/**
 * SES v2 event publishing through EventBridge: the envelope EventBridge adds and the `detail`
 * SES writes (the same record SES publishes to SNS or Firehose). Only what the feedback loop
 * reads is validated; everything else SES adds is let through untouched, so a new SES field never
 * breaks the handler.
 */

/** The detail-types this backend acts on, and the `detail.eventType` each must carry. */
export const HANDLED_DETAIL_TYPES = {
  'Email Bounced': 'Bounce',
  'Email Complaint Received': 'Complaint',
  'Email Delivered': 'Delivery',
  'Email Rejected': 'Reject',
} as const;
export type HandledDetailType = keyof typeof HANDLED_DETAIL_TYPES;

const nonEmpty = z.string().min(1).max(1024);
const address = z.string().min(1).max(1024);

/** The EventBridge envelope (https://docs.aws.amazon.com/eventbridge/latest/ref/events-structure.html). */
export const eventBridgeEnvelopeSchema = z.object({
  version: z.string().optional(),
  id: z.string().min(1).max(256),
  'detail-type': z.string().min(1).max(256),
  source: z.string().min(1).max(256),
  account: z.string().optional(),
  time: z.iso.datetime({ offset: true }),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: z.unknown(),
});
export type EventBridgeEnvelope = z.infer<typeof eventBridgeEnvelopeSchema>;

/** `detail.mail`: the message the event is about. `tags` are SES message tags, name → values. */
export const sesMailSchema = z.object({
  timestamp: z.string().optional(),
  messageId: nonEmpty,
  destination: z.array(address).min(1),
  tags: z.record(z.string(), z.array(z.string())).optional(),
});

export const sesBounceSchema = z.object({
  bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']),
  bounceSubType: z.string().optional(),
  bouncedRecipients: z.array(z.object({ emailAddress: address, status: z.string().optional() })).min(1),
  timestamp: z.string().optional(),
  feedbackId: nonEmpty,
});

export const sesComplaintSchema = z.object({
  complainedRecipients: z.array(z.object({ emailAddress: address })).min(1),
  timestamp: z.string().optional(),
  feedbackId: nonEmpty,
  complaintFeedbackType: z.string().optional(),
});

export const sesDeliverySchema = z.object({
  timestamp: z.string().optional(),
  recipients: z.array(address).min(1),
});

export const sesRejectSchema = z.object({ reason: z.string().optional() });

/** The `detail` SES writes for each handled detail-type, as `parseSesEvent` checks it. */
export const detailSchemas = {
  'Email Bounced': z.object({ eventType: z.literal('Bounce'), mail: sesMailSchema, bounce: sesBounceSchema }),
  'Email Complaint Received': z.object({ eventType: z.literal('Complaint'), mail: sesMailSchema, complaint: sesComplaintSchema }),
  'Email Delivered': z.object({ eventType: z.literal('Delivery'), mail: sesMailSchema, delivery: sesDeliverySchema }),
  'Email Rejected': z.object({ eventType: z.literal('Reject'), mail: sesMailSchema, reject: sesRejectSchema.optional() }),
} as const;

/** Our own message tags (mail/sender.ts): which brand, topic, campaign and category a message was. */
export interface MessageTags {
  brand?: string;
  topic?: string;
  campaign?: string;
  category?: string;
}

interface FeedbackBase {
  /** The EventBridge event id: the unit of idempotency (EventBridge delivers at least once). */
  eventId: string;
  at: Date;
  messageId: string;
  tags: MessageTags;
}

/** One SES feedback event, reduced to what the suppression list and the rates need. */
export type SesFeedback =
  | (FeedbackBase & {
      kind: 'bounce';
      bounceType: 'Permanent' | 'Transient' | 'Undetermined';
      bounceSubType?: string;
      recipients: string[];
      feedbackId: string;
    })
  | (FeedbackBase & { kind: 'complaint'; recipients: string[]; feedbackId: string; feedbackType?: string })
  | (FeedbackBase & { kind: 'delivery'; recipients: string[] })
  | (FeedbackBase & { kind: 'reject'; recipients: string[] });

export type ParsedSesEvent = { kind: 'feedback'; feedback: SesFeedback } | { kind: 'ignored'; eventId: string; detailType: string };

const issuesOf = (error: z.ZodError, prefix: string) =>
  error.issues.map((i) => ({ path: [prefix, formatPath(i.path)].filter(Boolean).join('.') || '(event)', message: i.message }));

/**
 * Validates one EventBridge event. A handled detail-type whose detail does not match the SES
 * shape, or an envelope that is not an EventBridge event, is a `ValidationError` naming each bad
 * field; another detail-type (opens, clicks, sends, account status) is `ignored`.
 */
export function parseSesEvent(input: unknown): ParsedSesEvent {
  const env = eventBridgeEnvelopeSchema.safeParse(input);
  if (!env.success) throw new ValidationError('This is not an EventBridge event.', issuesOf(env.error, ''));
  const { id, time } = env.data;
  const detailType = env.data['detail-type'];
  if (env.data.source !== 'aws.ses' || !(detailType in detailSchemas)) return { kind: 'ignored', eventId: id, detailType };
  const base = (mail: z.infer<typeof sesMailSchema>): FeedbackBase => ({
    eventId: id,
    at: new Date(time),
    messageId: mail.messageId,
    tags: messageTags(mail.tags),
  });
  const fail = (error: z.ZodError): never => {
    throw new ValidationError(`The detail of this "${detailType}" event is not an SES event record.`, issuesOf(error, 'detail'));
  };
  switch (detailType as HandledDetailType) {
    case 'Email Bounced': {
      const d = detailSchemas['Email Bounced'].safeParse(env.data.detail);
      if (!d.success) return fail(d.error);
      const b = d.data.bounce;
      return {
        kind: 'feedback',
        feedback: {
          ...base(d.data.mail),
          kind: 'bounce',
          bounceType: b.bounceType,
          ...(b.bounceSubType ? { bounceSubType: b.bounceSubType } : {}),
          recipients: b.bouncedRecipients.map((r) => r.emailAddress),
          feedbackId: b.feedbackId,
        },
      };
    }
    case 'Email Complaint Received': {
      const d = detailSchemas['Email Complaint Received'].safeParse(env.data.detail);
      if (!d.success) return fail(d.error);
      const c = d.data.complaint;
      return {
        kind: 'feedback',
        feedback: {
          ...base(d.data.mail),
          kind: 'complaint',
          recipients: c.complainedRecipients.map((r) => r.emailAddress),
          feedbackId: c.feedbackId,
          ...(c.complaintFeedbackType ? { feedbackType: c.complaintFeedbackType } : {}),
        },
      };
    }
    case 'Email Delivered': {
      const d = detailSchemas['Email Delivered'].safeParse(env.data.detail);
      if (!d.success) return fail(d.error);
      return { kind: 'feedback', feedback: { ...base(d.data.mail), kind: 'delivery', recipients: d.data.delivery.recipients } };
    }
    case 'Email Rejected': {
      const d = detailSchemas['Email Rejected'].safeParse(env.data.detail);
      if (!d.success) return fail(d.error);
      // SES rejects the whole message before sending: every destination is affected.
      return { kind: 'feedback', feedback: { ...base(d.data.mail), kind: 'reject', recipients: d.data.mail.destination } };
    }
  }
}

function messageTags(tags: Record<string, string[]> | undefined): MessageTags {
  const first = (name: string) => tags?.[name]?.[0];
  const out: MessageTags = {};
  for (const name of ['brand', 'topic', 'campaign', 'category'] as const) {
    const v = first(name);
    if (v) out[name] = v;
  }
  return out;
}

/** Transient bounces that suppress an address, and the window they must fall in. */
export const SOFT_BOUNCE_LIMIT = 3;
export const SOFT_BOUNCE_WINDOW_DAYS = 14;

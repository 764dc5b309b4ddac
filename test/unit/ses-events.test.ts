import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/core/errors';
import { parseSesEvent } from '../../functions/core/ses-events';
import { bounceEvent, complaintEvent, deliveryEvent, openEvent, rejectEvent } from '../support/ses-events';

const at = new Date('2026-11-29T09:00:00Z');

describe('parseSesEvent', () => {
  it('reads a permanent bounce with its tags', () => {
    const e = bounceEvent({ to: 'taro@example.com', at, bounceType: 'Permanent', brand: 'livlog', topic: 'newsletter', campaign: 'c1' });
    expect(parseSesEvent(e)).toEqual({
      kind: 'feedback',
      feedback: {
        eventId: e.id,
        at,
        messageId: e.detail.mail.messageId,
        tags: { brand: 'livlog', topic: 'newsletter', campaign: 'c1', category: 'marketing' },
        kind: 'bounce',
        bounceType: 'Permanent',
        bounceSubType: 'General',
        recipients: ['taro@example.com'],
        feedbackId: e.detail.bounce.feedbackId,
      },
    });
  });

  it('reads complaints, deliveries and rejects', () => {
    expect(parseSesEvent(complaintEvent({ to: 'a@example.com', at }))).toMatchObject({
      feedback: { kind: 'complaint', recipients: ['a@example.com'], feedbackType: 'abuse' },
    });
    expect(parseSesEvent(deliveryEvent({ to: 'a@example.com', at }))).toMatchObject({ feedback: { kind: 'delivery', recipients: ['a@example.com'] } });
    expect(parseSesEvent(rejectEvent({ to: 'a@example.com', at }))).toMatchObject({ feedback: { kind: 'reject', recipients: ['a@example.com'] } });
  });

  it('ignores other detail-types and other sources', () => {
    expect(parseSesEvent(openEvent({ to: 'a@example.com', at }))).toMatchObject({ kind: 'ignored', detailType: 'Email Opened' });
    expect(parseSesEvent({ ...deliveryEvent({ to: 'a@example.com', at }), source: 'my.app' })).toMatchObject({ kind: 'ignored' });
  });

  it('names each bad field of a malformed event', () => {
    const e = bounceEvent({ to: 'a@example.com', at, bounceType: 'Permanent' });
    const broken = { ...e, detail: { ...e.detail, eventType: 'Complaint', bounce: { ...e.detail.bounce, bouncedRecipients: [] } } };
    try {
      parseSesEvent(broken);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).details.map((d) => d.path).sort()).toEqual(['detail.bounce.bouncedRecipients', 'detail.eventType']);
    }
    expect(() => parseSesEvent({ id: 'x' })).toThrow(ValidationError);
    expect(() => parseSesEvent('text')).toThrow(ValidationError);
  });
});

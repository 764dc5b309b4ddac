import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Subscriber } from '../../functions/core/subscriber';
import { addRecipients, defineCampaign } from '../../functions/store/campaigns';
import { updateSubscriber } from '../../functions/store/subscribers';
import { emailIdFor, type TestStack } from './stack';

/** When the tests that store campaigns directly say things happened, and the scope they send in. */
export const CAMPAIGN_AT = '2026-11-29T08:00:00.000Z';
export const MARKETING = { brand: 'livlog', topic: 'newsletter', category: 'marketing' as const };

/**
 * For tests that drive the worker over campaigns stored straight in DynamoDB Local: an address
 * that consents to livlog's newsletter, and a campaign of those recipients with a content mail.
 * The stack is read when a helper runs, since it is made in `beforeAll`.
 */
export function campaignFixtures(stackOf: () => TestStack, at = CAMPAIGN_AT) {
  return {
    async consenting(addr: string) {
      const stack = stackOf();
      await updateSubscriber(stack.deps.db, stack.clock, emailIdFor(stack, addr), (sub) => {
        const next: Subscriber = structuredClone(sub);
        next.email = addr;
        next.brands.livlog = { topics: { newsletter: { state: 'subscribed', at } } };
        return { next, events: [] };
      });
    },
    /** The send records stored under an address's profile. */
    async sendRecords(addr: string) {
      const stack = stackOf();
      const out = await stack.deps.db.doc.send(
        new QueryCommand({
          TableName: stack.deps.db.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
          ExpressionAttributeValues: { ':pk': `SUB#${emailIdFor(stack, addr)}`, ':s': 'SEND#' },
        }),
      );
      return out.Items ?? [];
    },
    async campaignOf(id: string, recipients: string[], subject = 'Campaign') {
      const stack = stackOf();
      await defineCampaign(stack.deps.db, { campaignId: id, ...MARKETING, mail: { content: { subject, text: 'Hi {{unsubscribeUrl}}' } } }, at);
      await addRecipients(stack.deps.db, id, { recipients: recipients.map((email) => ({ emailId: emailIdFor(stack, email), email })), invalidIds: [] }, at);
    },
  };
}

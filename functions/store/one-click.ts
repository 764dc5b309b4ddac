import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { EmailId } from '../core/email-id';
import type { LedgerEventContent } from '../core/ledger';
import type { TopicSubscription } from '../core/subscriber';
import { toAttributeMap } from './attribute-values';
import type { Db } from './client';
import { lostRace } from './conditions';
import { keys } from './keys';

/**
 * The one-click fast path: one conditional `UpdateItem` of the profile, with no read first. When
 * the topic is `subscribed` it becomes what `unsubscribeSubscribedTopic` decided and the event
 * joins the profile's `unsealed` list, in the same atomic write, so an unsubscribe is either
 * wholly stored or not at all. The event enters the hash chain with the record's next change (or
 * a write path's `listLedger`); until then the profile's version (`ledger.seq` and the size of
 * `unsealed`) keeps every read-decide-write of the record from overwriting it.
 *
 * Returns `false`, having written nothing, when the topic is not `subscribed` (pending, already
 * unsubscribed, an address never stored, an erased one) or a transaction held the record: the
 * caller then reads and decides.
 *
 * Through the plain client, marshalled here (store/attribute-values.ts): a one-click is the whole
 * first request of most starts of the public function, and so it does not load the document client.
 */
/** The update and its condition (also what the bench's raw baseline sends, so both write alike). */
export const fastPathExpressions = (brand: string, topic: string) => ({
  UpdateExpression: 'SET #b.#br.#tp.#t = :topic, #ua = :at, #u = list_append(if_not_exists(#u, :none), :events)',
  ConditionExpression: '#b.#br.#tp.#t.#st = :subscribed',
  ExpressionAttributeNames: { '#b': 'brands', '#br': brand, '#tp': 'topics', '#t': topic, '#st': 'state', '#ua': 'updatedAt', '#u': 'unsealed' },
});

export async function unsubscribeIfSubscribed(
  db: Db,
  emailId: EmailId,
  brand: string,
  topic: string,
  change: { topic: TopicSubscription; event: LedgerEventContent },
): Promise<boolean> {
  try {
    const values = { ':topic': change.topic, ':at': change.topic.at, ':none': [], ':events': [change.event], ':subscribed': 'subscribed' };
    await db.client.send(
      new UpdateItemCommand({
        TableName: db.tableName,
        Key: toAttributeMap(keys.subscriber(emailId)),
        ...fastPathExpressions(brand, topic),
        ExpressionAttributeValues: toAttributeMap(values),
      }),
    );
    return true;
  } catch (err) {
    // Also a transaction on the record (a preference save chaining events) holding it: the
    // read-decide-write path retries such races.
    if (lostRace(err)) return false;
    throw err;
  }
}

import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EmailId } from '../core/email-id';
import { ValidationError } from '../core/errors';
import type { SendCategory, SkipReason } from '../core/recipient-filter';
import type { Db } from './client';
import { conditionFailed } from './conditions';
import { keys } from './keys';

/**
 * Campaigns (access pattern 6): the META item holds what to send; recipients are added in
 * `campaign-intake.ts`, claimed and settled in `campaign-recipients.ts`, counted in
 * `campaign-counts.ts`. A recipient item moves `pending` → `claimed` → `sent` / `skipped` /
 * `failed`; only the conditional claim lets a send happen, so retries, redeliveries and repeated
 * calls never send twice.
 */
export type MailContent = { template: { name: string } } | { content: { subject: string; html?: string; text: string } };

export interface CampaignDefinition {
  campaignId: string;
  brand: string;
  /** Marketing's topic; for transactional a label, which may be absent. */
  topic?: string | undefined;
  category: SendCategory;
  /** A transactional campaign's purpose (one of the brand's `transactionalPurposes`). */
  purpose?: string | undefined;
  mail: MailContent;
}

export type RecipientStatus = 'pending' | 'claimed' | 'sent' | 'skipped' | 'failed';

export interface RecipientRecord {
  emailId: EmailId;
  status: RecipientStatus;
  email?: string;
  data?: Record<string, string>;
  claimId?: string;
  claimedAt?: string;
  reason?: string;
  messageId?: string;
}

export type FinalResult = { status: 'sent'; messageId: string } | { status: 'skipped'; reason: SkipReason } | { status: 'failed'; reason: string };

/** JSON with its object keys sorted, so that the same mail hashes the same whatever the order of its fields. */
const stableJson = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(stableJson).join(',')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);

const mailHashOf = (mail: MailContent): string => createHash('sha256').update(stableJson(mail)).digest('base64url');

/**
 * Creates the campaign's META on its first call; later calls must name the same brand, topic,
 * category, purpose and mail (compared by a hash of the mail, stored with the first call; a
 * campaign stored before the hash existed takes any mail, and keeps the mail of its first call). A topic or purpose left out is stored
 * absent, and a later call must leave it out too. The first call also gives it its entry in the
 * newest-first list (gsi2, `CAMPAIGNS`), kept on the META item itself so that no second write
 * can be lost between the two.
 */
export async function defineCampaign(db: Db, def: CampaignDefinition, at: string): Promise<void> {
  const listed = keys.campaignListIndex(at, def.campaignId);
  const mailHash = mailHashOf(def.mail);
  const optional = [
    ['#t', 'topic', ':t', def.topic],
    ['#p', 'purpose', ':p', def.purpose],
  ] as const;
  const given = optional.filter(([, , , v]) => v !== undefined);
  const sets = [
    'brand = if_not_exists(brand, :b)',
    'category = if_not_exists(category, :c)',
    'mail = if_not_exists(mail, :m)',
    'mailHash = if_not_exists(mailHash, :mh)',
    'createdAt = if_not_exists(createdAt, :at)',
    'gsi2pk = if_not_exists(gsi2pk, :lp)',
    'gsi2sk = if_not_exists(gsi2sk, :ls)',
  ];
  for (const [name, , value] of given) sets.push(`${name} = if_not_exists(${name}, ${value})`);
  const same = optional.map(([name, , value, v]) => (v === undefined ? `attribute_not_exists(${name})` : `${name} = ${value}`));
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.campaignMeta(def.campaignId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: `attribute_not_exists(pk) OR (brand = :b AND category = :c AND ${same.join(' AND ')} AND (attribute_not_exists(mailHash) OR mailHash = :mh))`,
        ExpressionAttributeNames: Object.fromEntries(optional.map(([name, attr]) => [name, attr])),
        ExpressionAttributeValues: {
          ':b': def.brand,
          ':c': def.category,
          ':m': def.mail,
          ':mh': mailHash,
          ':at': at,
          ':lp': listed.gsi2pk,
          ':ls': listed.gsi2sk,
          ...Object.fromEntries(given.map(([, , value, v]) => [value, v])),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (err) {
    if (conditionFailed(err)) {
      const old = (err as { Item?: Record<string, { S?: string }> }).Item;
      const otherMail = old?.mailHash?.S !== undefined && old.mailHash.S !== mailHash;
      const sameScope = old?.brand?.S === def.brand && old.category?.S === def.category && old.topic?.S === def.topic && old.purpose?.S === def.purpose;
      if (otherMail && sameScope) {
        const field = 'template' in def.mail ? 'template' : 'content';
        throw new ValidationError('This campaign was started with another mail.', [
          { path: field, message: "differs from the mail of the campaign's first call" },
        ]);
      }
      throw new ValidationError('This campaign was started for another brand, topic, category or purpose.', [
        { path: 'campaignId', message: 'already used for another brand, topic, category or purpose' },
      ]);
    }
    throw err;
  }
}

/** What the campaign sends (its counts: `readCampaignCounts` in campaign-counts.ts). */
export async function getCampaign(db: Db, campaignId: string): Promise<CampaignDefinition | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.campaignMeta(campaignId), ConsistentRead: true }));
  const m = out.Item;
  if (!m) return undefined;
  return {
    campaignId,
    brand: m.brand,
    ...(m.topic !== undefined ? { topic: m.topic } : {}),
    category: m.category,
    ...(m.purpose !== undefined ? { purpose: m.purpose } : {}),
    mail: m.mail,
  };
}

const nameOf = (spec: string): [string, string] => {
  const [alias = spec, name = spec] = spec.split(':');
  return [`#${alias}`, name];
};

export interface CampaignSummary {
  campaignId: string;
  brand: string;
  topic: string;
  category: SendCategory;
  createdAt: string;
}

/** Where the next page of the campaign list starts (gsi2's key of the last item read). */
export type CampaignPageKey = Record<string, string>;

/**
 * Campaigns, newest first, a page at a time: one Query of the `CAMPAIGNS` partition of gsi2
 * (every META carries the entry), descending by creation time. The mail itself is not read.
 */
export async function listCampaignPage(
  db: Db,
  opts: { limit: number; startKey?: CampaignPageKey },
): Promise<{ items: CampaignSummary[]; nextKey?: CampaignPageKey }> {
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.campaignListPartition },
      ProjectionExpression: '#pk, #sk, #gpk, #gsk, #brand, #topic, #category, #createdAt',
      ExpressionAttributeNames: Object.fromEntries(['pk', 'sk', 'gpk:gsi2pk', 'gsk:gsi2sk', 'brand', 'topic', 'category', 'createdAt'].map(nameOf)),
      ScanIndexForward: false,
      Limit: opts.limit,
      ...(opts.startKey ? { ExclusiveStartKey: opts.startKey } : {}),
    }),
  );
  const items = (out.Items ?? []).map((m) => ({
    campaignId: String(m.pk).slice('CAMP#'.length),
    brand: String(m.brand),
    topic: String(m.topic),
    category: m.category as SendCategory,
    createdAt: String(m.createdAt),
  }));
  const nextKey = out.LastEvaluatedKey as CampaignPageKey | undefined;
  return { items, ...(nextKey ? { nextKey } : {}) };
}

/** Whether a page key handed back by a client is one of this listing's (four strings, the list's partition). */
export const isCampaignPageKey = (key: Record<string, unknown>): key is CampaignPageKey =>
  Object.keys(key).sort().join(',') === 'gsi2pk,gsi2sk,pk,sk' &&
  key.gsi2pk === keys.campaignListPartition &&
  key.sk === 'META' &&
  Object.values(key).every((v) => typeof v === 'string');

export { listStaleClaims } from './campaign-claims';
export { readCampaignCounts } from './campaign-counts';
export { addRecipients } from './campaign-intake';
export {
  claimRecipient,
  finishRecipient,
  pagePendingRecipients,
  readRecipients,
  releaseClaim,
  settleRecipient,
} from './campaign-recipients';
export { finishRecipients, settleSkippedRecipients } from './campaign-settlements';
export { campaignsWithUnfinishedRecipients, findUnfinishedCampaigns } from './unfinished-campaigns';

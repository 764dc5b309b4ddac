import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../core/clock';
import type { Db } from './client';
import { keys } from './keys';
import { queryPartition } from './query';

/**
 * The export of a fulfilled access or portability request, kept 7 days. A long history can be
 * larger than DynamoDB's 400 KB item limit, so the JSON is stored as binary parts of at most
 * `PART_BYTES` (`PART#0000`, …) under a header item (`EXPORT`) that names how many there are.
 * The header is written last, so a reader never sees an export whose parts are not all there.
 */
export const PART_BYTES = 350_000;

export interface ExportHeader {
  expiresAt: number;
  parts: number;
  bytes: number;
}

export async function putExport(db: Db, reference: string, data: string, expiresAt: number): Promise<void> {
  const bytes = Buffer.from(data, 'utf8');
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length || parts.length === 0; at += PART_BYTES) parts.push(bytes.subarray(at, at + PART_BYTES));
  for (const [n, part] of parts.entries()) {
    await db.doc.send(new PutCommand({ TableName: db.tableName, Item: { ...keys.inquiryExportPart(reference, n), data: part, expiresAt } }));
  }
  await db.doc.send(
    new PutCommand({ TableName: db.tableName, Item: { ...keys.inquiryExport(reference), reference, parts: parts.length, bytes: bytes.length, expiresAt } }),
  );
}

/** Whether the export is there, and until when (the status page's link lives as long). */
export async function getExport(db: Db, reference: string, now: Date): Promise<ExportHeader | undefined> {
  const item = await readHeader(db, reference, now);
  return item && headerOf(item);
}

/** The export's JSON, put together from its parts; `undefined` once it expired or was deleted. */
export async function readExport(db: Db, reference: string, now: Date): Promise<{ data: string; expiresAt: number } | undefined> {
  const item = await readHeader(db, reference, now);
  // An export made before exports had parts (one item, `data` a string) lives out its 7 days.
  if (typeof item?.data === 'string') return { data: item.data, expiresAt: item.expiresAt };
  const header = item && headerOf(item);
  if (!header?.parts) return undefined;
  const parts = (await queryPartition(db, keys.inquiryExportPartition(reference), { skPrefix: 'PART#' })).slice(0, header.parts);
  const data = Buffer.concat(parts.map((p) => Buffer.from(p.data as Uint8Array)));
  // Parts missing or cut short (a delete under way): say gone rather than serve a broken file.
  if (parts.length !== header.parts || data.length !== header.bytes) return undefined;
  return { data: data.toString('utf8'), expiresAt: header.expiresAt };
}

type HeaderItem = Record<string, unknown> & { expiresAt: number };

async function readHeader(db: Db, reference: string, now: Date): Promise<HeaderItem | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.inquiryExport(reference), ConsistentRead: true }));
  const item = out.Item;
  if (!item || typeof item.expiresAt !== 'number' || item.expiresAt <= epochSeconds(now)) return undefined;
  return item as HeaderItem;
}

function headerOf(item: HeaderItem): ExportHeader | undefined {
  if (typeof item.data === 'string') return { expiresAt: item.expiresAt, parts: 0, bytes: Buffer.byteLength(item.data) };
  const parts = Number(item.parts);
  return Number.isInteger(parts) && parts > 0 ? { expiresAt: item.expiresAt, parts, bytes: Number(item.bytes) } : undefined;
}

/** Deletes the header first (the export is gone from then on), then its parts. */
export async function deleteExport(db: Db, reference: string): Promise<void> {
  await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: keys.inquiryExport(reference) }));
  for (const part of await queryPartition(db, keys.inquiryExportPartition(reference), { skPrefix: 'PART#', projection: 'pk, sk' })) {
    await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: { pk: part.pk, sk: part.sk } }));
  }
}

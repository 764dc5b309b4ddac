import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteExport, getExport, PART_BYTES, putExport, readExport } from '../../functions/store/exports';
import { keys } from '../../functions/store/keys';
import { queryPartition } from '../../functions/store/query';
import { createTestStack, type TestStack } from '../support/stack';

/**
 * Exports larger than DynamoDB's 400 KB item limit (a long consent and send history) are stored
 * in parts under a header; these tests write and read them in DynamoDB Local.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});
afterAll(() => stack.dispose());

const now = () => stack.clock.now();
const expiresAt = () => Math.floor(now().getTime() / 1000) + 3600;

/** JSON of about `bytes` bytes, with 3-byte characters so that parts split inside them. */
function bigJson(bytes: number): string {
  const events = [];
  for (let size = 0, i = 0; size < bytes; i++) {
    const e = { seq: i, type: 'consent-given', wording: 'ニュースレターの配信に同意します。'.repeat(3), at: '2026-11-29T09:00:00.000Z' };
    size += JSON.stringify(e).length * 2;
    events.push(e);
  }
  return JSON.stringify({ consentLedger: events }, null, 2);
}

describe('export parts', () => {
  it('stores an export over 1 MB in parts and reads back exactly the same JSON', async () => {
    const data = bigJson(1_200_000);
    const size = Buffer.byteLength(data);
    expect(size).toBeGreaterThan(3 * PART_BYTES);
    await putExport(stack.deps.db, 'INQ-BIGEXPORT1', data, expiresAt());

    expect(await getExport(stack.deps.db, 'INQ-BIGEXPORT1', now())).toMatchObject({ parts: Math.ceil(size / PART_BYTES), bytes: size });
    const back = await readExport(stack.deps.db, 'INQ-BIGEXPORT1', now());
    expect(back?.data).toBe(data);
    expect(JSON.parse(back?.data ?? '{}').consentLedger.length).toBeGreaterThan(1000);
  });

  it('keeps a small export in one part, and an empty one too', async () => {
    await putExport(stack.deps.db, 'INQ-SMALLEXPRT', '{"a":1}', expiresAt());
    expect((await readExport(stack.deps.db, 'INQ-SMALLEXPRT', now()))?.data).toBe('{"a":1}');
    await putExport(stack.deps.db, 'INQ-EMPTYEXPRT', '', expiresAt());
    expect(await getExport(stack.deps.db, 'INQ-EMPTYEXPRT', now())).toMatchObject({ parts: 1, bytes: 0 });
    expect((await readExport(stack.deps.db, 'INQ-EMPTYEXPRT', now()))?.data).toBe('');
  });

  it('is gone once expired, and once deleted, with no part left behind', async () => {
    await putExport(stack.deps.db, 'INQ-GONEEXPORT', bigJson(500_000), expiresAt());
    stack.clock.advance(2 * 3600 * 1000);
    expect(await readExport(stack.deps.db, 'INQ-GONEEXPORT', now())).toBeUndefined();
    stack.clock.advance(-2 * 3600 * 1000);

    await deleteExport(stack.deps.db, 'INQ-GONEEXPORT');
    expect(await getExport(stack.deps.db, 'INQ-GONEEXPORT', now())).toBeUndefined();
    expect(await queryPartition(stack.deps.db, keys.inquiryExportPartition('INQ-GONEEXPORT'))).toEqual([]);
  });

  it('still serves an export stored as one item, as exports were before they had parts', async () => {
    await stack.deps.db.doc.send(
      new PutCommand({
        TableName: stack.deps.db.tableName,
        Item: { ...keys.inquiryExport('INQ-OLDFORMAT1'), reference: 'INQ-OLDFORMAT1', data: '{"old":true}', expiresAt: expiresAt() },
      }),
    );
    expect(await getExport(stack.deps.db, 'INQ-OLDFORMAT1', now())).toMatchObject({ bytes: 12 });
    expect((await readExport(stack.deps.db, 'INQ-OLDFORMAT1', now()))?.data).toBe('{"old":true}');
  });

  it('serves nothing rather than a broken file when a part is missing', async () => {
    await putExport(stack.deps.db, 'INQ-BROKENEXPT', bigJson(800_000), expiresAt());
    await stack.deps.db.doc.send(new DeleteCommand({ TableName: stack.deps.db.tableName, Key: keys.inquiryExportPart('INQ-BROKENEXPT', 1) }));
    expect(await readExport(stack.deps.db, 'INQ-BROKENEXPT', now())).toBeUndefined();
  });
});

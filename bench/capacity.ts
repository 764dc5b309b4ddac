import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Read and write request units, as DynamoDB bills them. */
export interface Units {
  read: number;
  write: number;
  /** Calls that failed (a failed condition or a cancelled transaction is billed too, but answers no units). */
  failedWrites: number;
}

// Document-client commands pass through the same stack under their own names.
const READS = new Set([
  'GetItemCommand',
  'GetCommand',
  'BatchGetItemCommand',
  'BatchGetCommand',
  'QueryCommand',
  'ScanCommand',
  'TransactGetItemsCommand',
  'TransactGetCommand',
]);
const WRITES = new Set([
  'PutItemCommand',
  'PutCommand',
  'UpdateItemCommand',
  'UpdateCommand',
  'DeleteItemCommand',
  'DeleteCommand',
  'BatchWriteItemCommand',
  'BatchWriteCommand',
  'TransactWriteItemsCommand',
  'TransactWriteCommand',
]);

type Consumed = { CapacityUnits?: number };
type Key = { pk: string; sk: string };
const TRANSACT_WRITES = new Set(['TransactWriteItemsCommand', 'TransactWriteCommand']);
const INDEX_KEYS = [
  ['gsi1pk', 'gsi1sk'],
  ['gsi2pk', 'gsi2sk'],
] as const;

/**
 * SDK middleware on the bench's DynamoDB client: every data call asks for
 * `ReturnConsumedCapacity: INDEXES` (the table's units and each index's), and the answers are
 * summed. DynamoDB Local answers them by DynamoDB's rules (item size rounded up to 1 KB per write
 * unit, 4 KB per read unit, twice that in a transaction, indexes apart), so the units are the ones
 * AWS would bill for the same items. `measure` gives the units one piece of work consumed.
 */
export function meterCapacity(client: DynamoDBClient) {
  let units: Units = { read: 0, write: 0, failedWrites: 0 };
  // Only inside `measure`: elsewhere the meter costs the figures that time their calls nothing.
  let active = 0;
  const doc = DynamoDBDocumentClient.from(client);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '';
      const kind = READS.has(name) ? 'read' : WRITES.has(name) ? 'write' : undefined;
      // Its own reads of a transaction's items ask for no units, and go around the meter.
      if (!active || !kind || (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity === 'NONE') return next(args);
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'INDEXES';
      try {
        // DynamoDB Local answers a transaction's units as if it held one item: computed instead,
        // from its items as they were before it and as they are after it.
        const before = TRANSACT_WRITES.has(name) ? await itemsOf(doc, args.input as TransactInput) : undefined;
        const out = await next(args);
        if (before) {
          // Awaited first: `units.write += await …` would read the sum before the wait and lose concurrent additions.
          const n = transactionUnits(args.input as TransactInput, before, await itemsOf(doc, args.input as TransactInput));
          units.write += n;
          return out;
        }
        const consumed = (out.output as { ConsumedCapacity?: Consumed | Consumed[] }).ConsumedCapacity;
        for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) units[kind] += c.CapacityUnits ?? 0;
        return out;
      } catch (err) {
        if (kind === 'write') units.failedWrites++;
        throw err;
      }
    },
    { step: 'initialize', name: 'benchCapacityMeter', override: true },
  );
  return {
    async measure(work: () => Promise<unknown>): Promise<Units> {
      const before = units;
      units = { read: 0, write: 0, failedWrites: 0 };
      active++;
      try {
        await work();
        return units;
      } finally {
        active--;
        const during = units;
        units = { read: before.read + during.read, write: before.write + during.write, failedWrites: before.failedWrites + during.failedWrites };
      }
    },
  };
}

type TransactInput = { TransactItems?: Record<string, { TableName?: string; Key?: Record<string, unknown>; Item?: Record<string, unknown> }>[] };

const str = (v: unknown) => (typeof v === 'string' ? v : ((v as { S?: string } | undefined)?.S ?? ''));

const keysOf = (input: TransactInput): { table: string; keys: Key[] } => {
  const actions = (input.TransactItems ?? []).flatMap((t) => Object.values(t));
  return {
    table: actions[0]?.TableName ?? '',
    keys: actions.map((a) => {
      const k = a.Key ?? a.Item ?? {};
      return { pk: str(k.pk), sk: str(k.sk) };
    }),
  };
};

/** The items a transaction names, by `pk|sk`, read consistently around the meter. */
async function itemsOf(doc: DynamoDBDocumentClient, input: TransactInput): Promise<Map<string, Record<string, unknown>>> {
  const { table, keys } = keysOf(input);
  const items = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < keys.length; i += 100) {
    let out = await doc.send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys: keys.slice(i, i + 100), ConsistentRead: true } }, ReturnConsumedCapacity: 'NONE' }),
    );
    for (;;) {
      for (const item of out.Responses?.[table] ?? []) items.set(`${item.pk}|${item.sk}`, item);
      const rest = out.UnprocessedKeys?.[table];
      if (!rest?.Keys?.length) break;
      out = await doc.send(new BatchGetCommand({ RequestItems: { [table]: rest }, ReturnConsumedCapacity: 'NONE' }));
    }
  }
  return items;
}

/**
 * A committed transaction's write units by DynamoDB's rules: twice the units of a plain write of
 * each item it put, updated, deleted or checked (at the larger of its sizes before and after), and
 * twice a plain write again for each index entry the write puts or removes (one that moves, to
 * another index key, is both), as DynamoDB Local counts a one-item transaction.
 */
function transactionUnits(input: TransactInput, before: Map<string, Record<string, unknown>>, after: Map<string, Record<string, unknown>>): number {
  let n = 0;
  for (const k of keysOf(input).keys) {
    const was = before.get(`${k.pk}|${k.sk}`);
    const is = after.get(`${k.pk}|${k.sk}`);
    const w = Math.max(was ? writeUnitsOf(itemBytes(was)) : 1, is ? writeUnitsOf(itemBytes(is)) : 1);
    let entries = 0;
    for (const [pkName, skName] of INDEX_KEYS) {
      const old = was && pkName in was ? `${str(was[pkName])}|${str(was[skName])}` : undefined;
      const now = is && pkName in is ? `${str(is[pkName])}|${str(is[skName])}` : undefined;
      if (old !== undefined && now !== undefined && old !== now) entries += 2;
      else if (old !== undefined || now !== undefined) entries += 1;
    }
    n += 2 * w * (1 + entries);
  }
  return n;
}

/**
 * An item's size by DynamoDB's rule: the UTF-8 bytes of each attribute name and value, numbers
 * about one byte per two digits plus one, 3 bytes of overhead per list or map and 1 per element.
 */
export function itemBytes(item: Record<string, unknown>): number {
  let n = 0;
  for (const [k, v] of Object.entries(item)) n += Buffer.byteLength(k) + valueBytes(v);
  return n;
}

function valueBytes(v: unknown): number {
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number') return Math.ceil(String(Math.abs(v)).replace('.', '').length / 2) + 1;
  if (typeof v === 'boolean' || v === null || v === undefined) return 1;
  if (v instanceof Uint8Array) return v.length;
  if (Array.isArray(v)) return 3 + v.reduce((s: number, x) => s + 1 + valueBytes(x), 0);
  if (v instanceof Set) return [...v].reduce((s: number, x) => s + valueBytes(x), 0);
  return 3 + Object.entries(v as Record<string, unknown>).reduce((s, [k, x]) => s + 1 + Buffer.byteLength(k) + valueBytes(x), 0);
}

/** Write units of one plain (not transactional) write of an item of this size. */
export const writeUnitsOf = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
/** Read units of one eventually consistent read of an item of this size. */
export const readUnitsOf = (bytes: number) => Math.max(1, Math.ceil(bytes / 4096)) / 2;

/**
 * A process of its own that adds campaign recipients, so that a test can kill it (SIGKILL) in the
 * middle of the call, as a crashed Lambda or a stopped local stack would be. Reads
 * `{"env": {...}, "input": {...}, "writeDelayMs"?}` on stdin: the test's environment (same table),
 * the body of `POST /v1/campaigns/{campaignId}/recipients`, and a delay before each write (a slow
 * store, so that a kill lands between writes however fast the machine). Its queue drops the work,
 * as a dead process does.
 */
import { loadConfig } from '../../functions/config';
import { createDeps } from '../../functions/deps';
import { silentLogger } from '../../functions/log';
import { addCampaignRecipients } from '../../functions/use-cases/add-campaign-recipients';
import type { SendInput } from '../../functions/use-cases/send-to-recipients';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const {
  env,
  input,
  writeDelayMs = 0,
} = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
  env: Record<string, string>;
  input: SendInput;
  writeDelayMs?: number;
};

const deps = createDeps(loadConfig(env), { logger: silentLogger });
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'TransactWriteItemsCommand', 'BatchWriteItemCommand']);
deps.db.client.middlewareStack.add(
  (next, context) => async (args) => {
    if (writeDelayMs && WRITES.has(context.commandName ?? '')) await new Promise((r) => setTimeout(r, writeDelayMs));
    return next(args);
  },
  { step: 'initialize', name: 'slow-store' },
);
process.stdout.write('started\n');
const out = await addCampaignRecipients({ ...deps, campaignQueue: { enqueue: async () => {} } }, input);
process.stdout.write(`${JSON.stringify(out)}\n`);

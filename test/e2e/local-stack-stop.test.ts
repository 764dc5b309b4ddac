import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { descendantsOf, killStarted, portIsFree, remember, type StartedStack, stackPorts, startStack, waitFor } from '../support/local-stack';

/**
 * How `npm start` stops: a stop drains the campaign work in flight while DynamoDB Local and the
 * local SES still run, a terminal's Ctrl-C does not reach the children before the stack has
 * drained, and a stack killed outright takes its children with it.
 */
afterAll(() => killStarted());

const TOKEN = 'e2e-admin-token-0123456789';
const RECIPIENTS = 8;

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number, last: () => unknown = () => undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (last seen: ${JSON.stringify(last())})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const admin = (port: string, method: string, path: string, body?: unknown) =>
  fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

type Counts = { accepted: number; pending: number; sent: number; skipped: number; failed: number };
const countsOf = async (port: string, id: string) => ((await (await admin(port, 'GET', `/v1/campaigns/${id}`)).json()) as { counts: Counts }).counts;

describe('stopping the local stack', () => {
  it('drains campaign work on SIGTERM and on Ctrl-C: nothing claimed is stranded, and the next start sends the rest', async () => {
    const p = await stackPorts();
    const env = { ...p, DATA_DIR: mkdtempSync(join(tmpdir(), 'stop-')), ADMIN_TOKEN: TOKEN, CAMPAIGN_SEND_RATE: '2' };
    const stops: [string, (s: StartedStack) => void][] = [
      ['SIGTERM', (s) => s.child.kill('SIGTERM')],
      // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
      ['Ctrl-C', (s) => process.kill(-(s.child.pid as number), 'SIGINT')],
    ];
    let unfinished: string | undefined;
    // Each stop interrupts a campaign; the start after it finds that campaign and sends the rest.
    for (const step of [...stops, undefined]) {
      const stack = startStack(env, [], { detached: true });
      await waitFor(`http://127.0.0.1:${p.PORT}/health`, 90_000);
      if (unfinished) {
        // The campaign the stop interrupted: every recipient sent, none left claimed or failed.
        const id = unfinished;
        const counts = await until(
          `campaign ${id} finished`,
          async () => ((await countsOf(p.PORT, id)).pending === 0 ? countsOf(p.PORT, id) : undefined),
          60_000,
        );
        expect(counts).toEqual({ accepted: RECIPIENTS, pending: 0, sent: RECIPIENTS, skipped: 0, failed: 0 });
      }
      if (!step) {
        stack.child.kill('SIGTERM');
        expect(await stack.exited).toBe(0);
        break;
      }
      const [name, stop] = step;
      const id = `drain-${name.toLowerCase().replace(/\W/g, '')}-${randomBytes(3).toString('hex')}`;
      const recipients = Array.from({ length: RECIPIENTS }, (_, i) => `drain${i}.${randomBytes(4).toString('hex')}@example.com`);
      const accepted = await admin(p.PORT, 'POST', `/v1/campaigns/${id}/recipients`, {
        campaignId: id,
        brand: 'livlog',
        topic: 'newsletter',
        category: 'transactional',
        purpose: 'service-notice',
        content: { subject: 'Service notice', text: 'Hello' },
        recipients: recipients.map((email) => ({ email })),
      });
      expect(accepted.status, await accepted.clone().text()).toBe(202);
      // Stopped while it sends: after its first mail, with the rest still to go.
      await until(
        'a first mail',
        async () => {
          const { emails } = (await (await fetch(`http://127.0.0.1:${p.SES_PORT}/store`)).json()) as { emails: { destination: { to: string[] } }[] };
          return emails.some((m) => m.destination.to.some((t) => recipients.includes(t))) ? true : undefined;
        },
        60_000,
      );
      expect((await countsOf(p.PORT, id)).sent).toBeLessThan(RECIPIENTS);
      stop(stack);
      expect(await stack.exited, stack.output()).toBe(0);
      unfinished = id;
    }
  }, 400_000);

  it('takes its children along when it is killed (SIGKILL), and stops when the process that started it is', async () => {
    const p = await stackPorts();
    // The stack's own process (DynamoDB Local's parent), then the shell above it, as npm runs it.
    for (const victim of ['stack', 'parent'] as const) {
      const stack = startStack(p, ['--in-memory'], { underShell: victim === 'parent' });
      await waitFor(`http://127.0.0.1:${p.PORT}/health`, 90_000);
      remember([stack.child.pid as number, ...descendantsOf(stack.child.pid as number)]);
      process.kill(stack.child.pid as number, 'SIGKILL');
      for (const port of [p.PORT, p.DYNAMODB_PORT, p.SES_PORT]) {
        await until(`port ${port} free after a SIGKILL of the ${victim}`, async () => ((await portIsFree(Number(port))) ? true : undefined), 20_000);
      }
    }
  }, 300_000);
});

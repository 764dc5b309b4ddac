import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killStarted, listenOn, stackPorts as ports, startStack, waitFor } from '../support/local-stack';
import { expectConnectionKeptOrClosedCleanly, rawExchange } from '../support/raw-http';

afterAll(() => killStarted());

describe('npm start (the local stack)', () => {
  it('answers /health, serves the inbox, keeps data across a restart, and stops its children on SIGTERM', async () => {
    const p = await ports();
    const dataDir = mkdtempSync(join(tmpdir(), 'stack-'));
    const env = { ...p, DATA_DIR: dataDir, ADMIN_TOKEN: 'e2e-admin-token-0123456789' };
    const first = startStack(env);
    // Generous: other suites share the two cores; on an idle machine it answers in about 10 s.
    const health = await waitFor(`http://127.0.0.1:${p.PORT}/health`, 90_000);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`http://127.0.0.1:${p.SES_PORT}/`)).status).toBe(200);
    expect(first.output()).toContain(`http://127.0.0.1:${p.SES_PORT}/`);
    expect(first.output()).toContain(`http://127.0.0.1:${p.PORT}/contact?brand=livlog`);
    // A 413 leaves the connection usable or closes it cleanly (test/integration/http-connection.test.ts).
    const big = Buffer.alloc(2 * 1024 * 1024, 'a');
    const after413 = await rawExchange(Number(p.PORT), [
      `POST /v1/subscriptions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n`,
      big,
      'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    ]);
    expectConnectionKeptOrClosedCleanly(after413, 413);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // Every child is gone: the ports are free again.
    for (const port of [p.PORT, p.DYNAMODB_PORT, p.SES_PORT, p.OIDC_PORT]) {
      const srv = await listenOn(Number(port));
      expect(srv.listening).toBe(true);
      srv.close();
    }

    const second = startStack(env);
    await waitFor(`http://127.0.0.1:${p.PORT}/health`, 90_000);
    expect(second.output()).toContain('(exists)');
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 240_000);

  it('exits non-zero with a one-line reason when a port is taken', async () => {
    const p = await ports();
    const blocker = await listenOn(Number(p.SES_PORT));
    try {
      const s = startStack(p, ['--in-memory']);
      expect(await s.exited).toBe(1);
      expect(s.output()).toMatch(new RegExp(`error: port ${p.SES_PORT} \\(SES_PORT\\) is already in use`));
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('exits non-zero with a one-line reason when Java is missing', async () => {
    const p = await ports();
    const s = startStack({ ...p, PATH: '/nonexistent' }, ['--in-memory']);
    expect(await s.exited).toBe(1);
    expect(s.output()).toMatch(/error: Java 17\+ is needed for DynamoDB Local/);
  }, 60_000);

  it('exits non-zero naming the field when the brands file is bad', async () => {
    const p = await ports();
    const dir = mkdtempSync(join(tmpdir(), 'brands-'));
    const file = join(dir, 'brands.json');
    writeFileSync(file, JSON.stringify({ brands: [{ id: 'Bad Id' }], topicLabels: {} }));
    const s = startStack({ ...p, BRANDS_FILE: file }, ['--in-memory']);
    expect(await s.exited).toBe(1);
    expect(s.output()).toMatch(/error: invalid brands config: brands\[0\]\.id/);
  }, 60_000);

  it('takes over a stale DATA_DIR lock and refuses a live one', async () => {
    const p = await ports();
    const dataDir = mkdtempSync(join(tmpdir(), 'lock-'));
    writeFileSync(join(dataDir, '.lock'), String(process.pid));
    const refused = startStack({ ...p, DATA_DIR: dataDir });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/is in use by another local stack \(pid \d+\)/);

    writeFileSync(join(dataDir, '.lock'), '999999');
    const s = startStack({ ...p, DATA_DIR: dataDir });
    await waitFor(`http://127.0.0.1:${p.PORT}/health`, 90_000);
    expect(s.output()).toContain('removed a stale lock');
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  }, 150_000);
});

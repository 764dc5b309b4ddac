import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleTextsOf } from '../../functions/core/texts/console';
import { consoleRoutes } from '../../functions/http/console';
import { CSRF_FIELD } from '../../functions/http/console/context';
import { CONSOLE_IMPORT_MAX_BODY_BYTES, CONSOLE_IMPORT_MAX_BYTES } from '../../functions/http/console/pages/suppression-actions';
import { buildLazyApp } from '../../functions/http/lazy-groups';
import { getSubscribers } from '../../functions/store/suppressions';
import { type ConsoleClient, type ConsoleStack, consoleAs, createConsoleStack } from '../support/console-pages';
import { endlessBody } from '../support/endless-body';
import { emailIdFor, type TestStack, uniqueEmail } from '../support/stack';

/**
 * The console's CSV import against files larger than the app's 1 MB body limit: a person in a
 * browser gets the import report, or over the console import's own limit a console page in the
 * console's language, never the app's JSON error; and a body with no declared length is refused
 * once it passes the limit, without the rest being read.
 */
let served: ConsoleStack;
let stack: TestStack;
let officer: ConsoleClient;

beforeAll(async () => {
  served = await createConsoleStack();
  stack = served.stack;
  officer = await consoleAs(served, 'officer');
});
afterAll(() => served?.dispose());

const MB = 1024 * 1024;

/**
 * A CSV of `size` bytes: the header, the given addresses, then lines of blanks (the import skips
 * them), so that a file of megabytes imports in a few writes rather than tens of thousands.
 */
function csvOf(size: number, emails: string[]): Blob {
  const head = `email,reason,brand,createdAt\n${emails.map((e) => `${e},manual,,\n`).join('')}`;
  const pad = `${' '.repeat(999)}\n`;
  const rest = size - head.length;
  return new Blob([head, pad.repeat(Math.floor(rest / pad.length)), ' '.repeat(rest % pad.length)], { type: 'text/csv' });
}

const postFile = (file: Blob, lang: 'ja' | 'en') => {
  const form = new FormData();
  form.set('file', file, 'list.csv');
  return officer.post(`/console/suppressions/import?lang=${lang}`, form);
};

const suppressed = async (email: string) => {
  const id = emailIdFor(stack, email);
  const subscriber = (await getSubscribers(stack.deps.db, [id])).get(id);
  return Object.keys(subscriber?.suppressions ?? {}).length > 0;
};

describe('the console import of a large CSV file', () => {
  it('imports a file of a few hundred KB as before', async () => {
    const email = uniqueEmail('small-file');
    const res = await postFile(csvOf(300 * 1024, [email]), 'en');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('1 lines applied (1 of them changed a record).');
    expect(await suppressed(email)).toBe(true);
  });

  it('imports a file of about 2 MB, over the app-wide 1 MB limit', async () => {
    const emails = [uniqueEmail('two-mb'), uniqueEmail('two-mb')];
    const res = await postFile(csvOf(2 * MB, emails), 'en');
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('2 lines applied (2 of them changed a record).');
    expect(await suppressed(emails[0] as string)).toBe(true);
  });

  it('imports it in the console function as Lambda serves it, its group loaded on demand', async () => {
    const app = buildLazyApp(stack.deps, [{ paths: ['/console'], load: async () => consoleRoutes }]);
    const email = uniqueEmail('lazy');
    const form = new FormData();
    form.set(CSRF_FIELD, officer.csrf);
    form.set('file', csvOf(2 * MB, [email]), 'list.csv');
    const url = `${served.base}/console/suppressions/import?lang=en`;
    const res = await app.request(url, { method: 'POST', headers: { cookie: officer.jar.header(url), accept: 'text/html' }, body: form });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('1 lines applied (1 of them changed a record).');
  });

  it('keeps the 1 MB limit on the console forms that are not the import', async () => {
    const res = await officer.post('/console/suppressions', [
      ['email', uniqueEmail('note')],
      ['reason', 'manual'],
      ['note', 'x'.repeat(2 * MB)],
    ]);
    expect(res.status).toBe(413);
  });

  it('refuses a file over the console import limit with a console page in the console language, saying how large a file may be', async () => {
    const email = uniqueEmail('too-large');
    const mb = CONSOLE_IMPORT_MAX_BYTES / MB;
    for (const lang of ['en', 'ja'] as const) {
      const res = await postFile(csvOf(CONSOLE_IMPORT_MAX_BODY_BYTES + 1, [email]), lang);
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toContain('text/html');
      const page = await res.text();
      expect(page).toContain(`<html lang="${lang}"`);
      expect(page).toContain(`${mb} MB`);
      expect(page).toContain(consoleTextsOf(lang).console.errors.fileTooLarge.text(mb));
      expect(page).toContain('href="/console/suppressions"');
      // The console's own frame: the menu and the signed-in operator, as on the form's page.
      expect(page).toContain('action="/console/logout"');
    }
    expect(await suppressed(email)).toBe(false);
  });

  it('refuses a body without a declared length once it passes the limit, without reading the rest', async () => {
    const boundary = 'import-limit-boundary';
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="${CSRF_FIELD}"\r\n\r\n${officer.csrf}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="list.csv"\r\nContent-Type: text/csv\r\n\r\n` +
        `email,reason,brand,createdAt\n${uniqueEmail('endless')},manual,,\n`,
    );
    // A body that never ends: only a server that stops reading at its limit can answer it.
    const { body, chunk, pulled } = endlessBody(head, `${' '.repeat(1023)}\n`.repeat(64));
    const url = `${served.base}/console/suppressions/import?lang=en`;
    const res = await stack.app.request(url, {
      method: 'POST',
      headers: { cookie: officer.jar.header(url), accept: 'text/html', 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain(`at most ${CONSOLE_IMPORT_MAX_BYTES / MB} MB`);
    expect(pulled()).toBeGreaterThan(CONSOLE_IMPORT_MAX_BODY_BYTES);
    expect(pulled()).toBeLessThan(CONSOLE_IMPORT_MAX_BODY_BYTES + 3 * chunk);
    await body.cancel().catch(() => {});
  });
});

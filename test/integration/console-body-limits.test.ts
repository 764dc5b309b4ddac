import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleTextsOf } from '../../functions/core/texts/console';
import { consoleRoutes } from '../../functions/http/console';
import { CSRF_FIELD } from '../../functions/http/console/context';
import { CONSOLE_IMPORT_MAX_BODY_BYTES } from '../../functions/http/console/pages/suppression-actions';
import { buildLazyApp } from '../../functions/http/lazy-groups';
import { getSubscribers } from '../../functions/store/suppressions';
import { type ConsoleClient, type ConsoleStack, consoleAs, createConsoleStack } from '../support/console-pages';
import { endlessBody } from '../support/endless-body';
import { emailIdFor, type TestStack, uniqueEmail } from '../support/stack';

/**
 * The console's forms against bodies over the app's 1 MB limit: a signed-in operator gets a
 * console page in their language, never the app's JSON error; a request without a session is sent
 * to sign in, and an operator without the route's role gets the 403 page, both with their body
 * unread (not by the limit, not by the CSRF check).
 */
let served: ConsoleStack;
let stack: TestStack;
let officer: ConsoleClient;
let marketer: ConsoleClient;

beforeAll(async () => {
  served = await createConsoleStack();
  stack = served.stack;
  [officer, marketer] = await Promise.all([consoleAs(served, 'officer'), consoleAs(served, 'marketer')]);
});
afterAll(() => served?.dispose());

const MB = 1024 * 1024;
const BIG = 'x'.repeat(2 * MB);

const suppressed = async (email: string) => {
  const id = emailIdFor(stack, email);
  const subscriber = (await getSubscribers(stack.deps.db, [id])).get(id);
  return Object.keys(subscriber?.suppressions ?? {}).length > 0;
};

/** One request straight to the app, as the console's function gets it, with a streamed body. */
function sendStreamed(path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string>) {
  const url = `${served.base}${path}`;
  return stack.app.request(url, {
    method: 'POST',
    headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
    duplex: 'half',
  } as RequestInit);
}

describe('a console form over the 1 MB limit, from a signed-in operator', () => {
  it('is a 413 console page in the operator’s language, with the way back to the form’s list, and writes nothing', async () => {
    const email = uniqueEmail('big-note');
    for (const lang of ['en', 'ja'] as const) {
      const res = await officer.post(`/console/suppressions?lang=${lang}`, [
        ['email', email],
        ['reason', 'manual'],
        ['note', BIG],
      ]);
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toContain('text/html');
      const page = await res.text();
      const t = consoleTextsOf(lang).console.errors.formTooLarge;
      expect(page).toContain(`<html lang="${lang}"`);
      expect(page).toContain(t.title);
      expect(page).toContain(t.text('1 MB'));
      expect(page).toContain('href="/console/suppressions"');
      // The console's own frame: the menu and the signed-in operator.
      expect(page).toContain('action="/console/logout"');
    }
    expect(await suppressed(email)).toBe(false);
  });

  it('is the same page for a multipart form and for an inquiry’s step, which links back to the inquiry', async () => {
    const form = new FormData();
    form.set('email', uniqueEmail('big-look-up'));
    form.set('pad', BIG);
    const lookUp = await officer.post('/console/subscribers?lang=en', form);
    expect(lookUp.status).toBe(413);
    expect(await lookUp.text()).toContain(consoleTextsOf('en').console.errors.formTooLarge.text('1 MB'));

    const step = await officer.post('/console/inquiries/INQ-AAAAAAAAAA/transitions?lang=en', [
      ['to', 'rejected'],
      ['reason', BIG],
    ]);
    expect(step.status).toBe(413);
    expect(step.headers.get('content-type')).toContain('text/html');
    expect(await step.text()).toContain('href="/console/inquiries/INQ-AAAAAAAAAA"');
  });

  it('is the same page in the console function as Lambda serves it, its group loaded on demand', async () => {
    const app = buildLazyApp(stack.deps, [{ paths: ['/console'], load: async () => consoleRoutes }]);
    const url = `${served.base}/console/suppressions?lang=en`;
    const body = new URLSearchParams([
      ['email', uniqueEmail('lazy-big')],
      ['reason', 'manual'],
      ['note', BIG],
      [CSRF_FIELD, officer.csrf],
    ]).toString();
    const res = await app.request(url, {
      method: 'POST',
      headers: { cookie: officer.jar.header(url), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain(consoleTextsOf('en').console.errors.formTooLarge.title);
  });

  it('reads a body without a declared length up to the limit and no further, the token sent in a header', async () => {
    const form = endlessBody(`email=${encodeURIComponent(uniqueEmail('endless'))}&reason=manual&note=`);
    const res = await sendStreamed('/console/suppressions?lang=en', form.body, {
      cookie: officer.jar.header(`${served.base}/console`),
      'x-csrf-token': officer.csrf,
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain(consoleTextsOf('en').console.errors.formTooLarge.title);
    expect(form.pulled()).toBeGreaterThan(MB);
    expect(form.pulled()).toBeLessThan(MB + 3 * form.chunk);
    await form.body.cancel().catch(() => {});
  });

  it('takes a form just under the limit', async () => {
    const email = uniqueEmail('padded');
    const res = await officer.post('/console/suppressions', [
      ['email', email],
      ['reason', 'manual'],
      ['pad', 'x'.repeat(MB - 4096)],
    ]);
    expect(res.status).toBe(303);
    expect(await suppressed(email)).toBe(true);
  });
});

describe('a console form with a large body from someone not signed in', () => {
  it('is sent to the provider to sign in, not answered 413', async () => {
    const res = await fetch(`${served.base}/console/suppressions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: `note=${BIG}`,
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${served.issuer}`));
    await res.arrayBuffer();
  });

  it('has its body unread', async () => {
    const form = endlessBody('note=');
    const res = await sendStreamed('/console/suppressions', form.body, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${served.issuer}`));
    expect(form.pulled()).toBeLessThan(4 * form.chunk);
    await form.body.cancel().catch(() => {});
  });
});

describe('a console form with a large body from an operator without the route’s role', () => {
  it('is the 403 console page, not a 413 (the form’s limit, or the import’s own)', async () => {
    const email = uniqueEmail('marketer-big');
    const add = await marketer.post('/console/suppressions?lang=en', [
      ['email', email],
      ['reason', 'manual'],
      ['note', BIG],
    ]);
    expect(add.status).toBe(403);
    expect(add.headers.get('content-type')).toContain('text/html');
    const page = await add.text();
    expect(page).toContain(consoleTextsOf('en').console.errors.forbidden.title);
    expect(page).toContain('action="/console/logout"');

    const file = new FormData();
    file.set('file', new Blob(['x'.repeat(CONSOLE_IMPORT_MAX_BODY_BYTES + 1)], { type: 'text/csv' }), 'list.csv');
    const imported = await marketer.post('/console/suppressions/import?lang=en', file);
    expect(imported.status).toBe(403);
    expect(await imported.text()).toContain(consoleTextsOf('en').console.errors.forbidden.title);
    expect(await suppressed(email)).toBe(false);
  });

  it('has its body unread, neither by the limit nor by the CSRF check', async () => {
    const cookie = marketer.jar.header(`${served.base}/console`);
    const variants: Record<string, string>[] = [{ cookie }, { cookie, 'x-csrf-token': marketer.csrf }];
    for (const headers of variants) {
      const form = endlessBody(`${CSRF_FIELD}=${marketer.csrf}&email=${encodeURIComponent(uniqueEmail('marketer-endless'))}&reason=manual&note=`);
      const res = await sendStreamed('/console/suppressions?lang=en', form.body, headers);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain(consoleTextsOf('en').console.errors.forbidden.title);
      expect(form.pulled()).toBeLessThan(4 * form.chunk);
      await form.body.cancel().catch(() => {});
    }
  });
});

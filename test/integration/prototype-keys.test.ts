import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../../functions/core/tokens';
import { PROTOTYPE_KEYS, tokenWithKeyId } from '../support/prototype-keys';
import { createTestStack, TEST_ADMIN_TOKEN, TEST_KEYS, type TestStack } from '../support/stack';

/**
 * Keys that every plain object inherits. A lookup of a caller-supplied key on a plain object finds
 * these (a function, not undefined) and used to turn a stranger's request into a 500. Each route
 * that takes a key from the caller (a token's key id, a brand, a topic, a reason, a template value)
 * must answer them as any other unknown key.
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});
afterAll(() => stack.dispose());

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };

describe('caller-supplied keys that name Object.prototype members', () => {
  it.each(PROTOTYPE_KEYS)('a token with key id %s is refused as a bad signature on every token route, never a 500', async (k) => {
    const routes: [string, string, string][] = [
      ['POST', `/u/${tokenWithKeyId(k, 'unsubscribe')}`, 'List-Unsubscribe=One-Click'],
      ['GET', `/u/${tokenWithKeyId(k, 'unsubscribe')}`, ''],
      ['GET', `/v1/preferences/${tokenWithKeyId(k, 'unsubscribe')}`, ''],
      ['GET', `/confirm/${tokenWithKeyId(k, 'confirm')}`, ''],
      ['POST', `/confirm/${tokenWithKeyId(k, 'confirm')}`, ''],
      ['GET', `/inquiries/verify/${tokenWithKeyId(k, 'verify')}`, ''],
      ['GET', `/inquiries/status/${tokenWithKeyId(k, 'status')}`, ''],
      ['GET', `/exports/${tokenWithKeyId(k, 'export')}`, ''],
    ];
    for (const [method, path, body] of routes) {
      const init: RequestInit = { method, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
      if (method === 'POST') init.body = body;
      const res = await stack.app.request(path, init);
      expect(res.status, `${method} ${path.slice(0, 12)}`).toBe(403);
    }
  });

  it('the token service itself refuses them as an unknown key', () => {
    const tokens = createTokenService({ signingKeyId: 't1', keys: { t1: Buffer.from(TEST_KEYS.t1, 'base64') } }, { now: () => new Date() });
    for (const k of PROTOTYPE_KEYS) expect(() => tokens.verify(tokenWithKeyId(k, 'unsubscribe'), 'unsubscribe')).toThrow(/unknown-key|bad-signature/);
  });

  it.each(PROTOTYPE_KEYS)('the key %s as a brand, topic or reason is a 400, never a 500', async (k) => {
    const valid = stack.deps.tokens.sign('unsubscribe', { b: 'livlog', e: 'e1', t: 'newsletter' });
    const answers = await Promise.all([
      stack.app.request('/v1/subscriptions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ brand: k, email: 'a@example.com', topics: ['newsletter'] }),
      }),
      stack.app.request('/v1/subscriptions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ brand: 'livlog', email: 'a@example.com', topics: [k] }),
      }),
      stack.app.request('/v1/inquiries', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ brand: k, type: 'question', email: 'a@example.com', message: 'hi' }),
      }),
      stack.app.request('/v1/inquiries', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ brand: 'livlog', type: k, email: 'a@example.com', message: 'hi' }),
      }),
      stack.app.request(`/v1/preferences/${valid}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: `{"topics": {"${k}": "unsubscribed"}}`,
      }),
      stack.app.request(`/u/${valid}/preferences`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `topics=${k}&action=save`,
      }),
      stack.app.request('/v1/sends/filter', {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ brand: k, topic: 'newsletter', category: 'marketing', recipients: ['a@example.com'] }),
      }),
      stack.app.request('/v1/sends/filter', {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ brand: 'livlog', topic: k, category: 'marketing', recipients: ['a@example.com'] }),
      }),
      stack.app.request(`/admin/suppressions?reason=${encodeURIComponent(k)}`, { headers: admin }),
      stack.app.request('/admin/suppressions/a%40example.com', { method: 'PUT', headers: admin, body: JSON.stringify({ reason: k }) }),
      stack.app.request(`/contact?brand=${encodeURIComponent(k)}`, { headers: { accept: 'text/html' } }),
    ]);
    for (const [i, res] of answers.entries()) {
      expect(res.status, `request ${i}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `request ${i}`).toBeLessThan(500);
    }
  });

  it.each(['constructor', 'hasOwnProperty', '__proto__', 'toString'])(
    'content naming {{%s}} is a missing value: 400 naming the part, nothing stored or sent',
    async (k) => {
      const { uniqueEmail } = await import('../support/stack');
      const { mailsTo } = await import('../support/inbox');
      const to = uniqueEmail('proto');
      for (const [part, content] of [
        ['subject', { subject: `Hi {{${k}}}`, text: 't' }],
        ['text', { subject: 's', text: `Hi {{${k}}}` }],
        ['html', { subject: 's', text: 't', html: `<p>{{${k}}}</p>` }],
      ] as const) {
        for (const path of ['/v1/sends', '/v1/campaigns/proto-values/recipients']) {
          const res = await stack.app.request(path, {
            method: 'POST',
            headers: admin,
            body: JSON.stringify({
              brand: 'livlog',
              topic: 'newsletter',
              category: 'marketing',
              campaignId: 'proto-values',
              content,
              recipients: [{ email: to }],
            }),
          });
          expect(res.status, `${path} ${part}`).toBe(400);
          const { error } = (await res.json()) as { error: { details: { path: string; message: string }[] } };
          expect(error.details).toContainEqual({ path: `content.${part}`, message: expect.stringContaining(`{{${k}}}`) });
        }
      }
      expect((await stack.app.request('/v1/campaigns/proto-values', { headers: admin })).status).toBe(404);
      expect(await mailsTo(to)).toHaveLength(0);
    },
  );

  it('a template value named after a prototype member is a missing value, not the member', async () => {
    const { renderMail, MissingTemplateValueError } = await import('../../functions/mail/render');
    for (const k of PROTOTYPE_KEYS) {
      expect(() => renderMail({ subject: 's', text: `{{${k}}}`, html: 'h' }, {})).toThrow(MissingTemplateValueError);
    }
  });
});

import { CreateEmailTemplateCommand, UpdateEmailTemplateCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../functions/core/brands';
import type { Subscriber } from '../../functions/core/subscriber';
import { readRecipients } from '../../functions/store/campaign-recipients';
import { updateSubscriber } from '../../functions/store/subscribers';
import { expectMarketingFooter, expectTopicOfferedFirst } from '../support/footer';
import { mailsTo, waitForMails } from '../support/inbox';
import { createTestStack, emailIdFor, TEST_ADMIN_TOKEN, type TestStack, uniqueEmail } from '../support/stack';

/**
 * CONTRACT.md "What every marketing mail carries": every marketing mail, by content or by SES
 * template, through /v1/sends or a campaign, in Japanese or English, carries the brand's footer,
 * checked in the mail the local SES received.
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack({ config: { CAMPAIGN_SEND_RATE: '1000' } });
});
afterAll(() => stack.dispose());

const BRAND = 'cotogoto';
const TOPIC = 'events';
const marketing = { brand: BRAND, topic: TOPIC, category: 'marketing' as const };
const at = '2026-11-29T08:00:00.000Z';
const suffix = () => Math.random().toString(36).slice(2, 8);

/** A subscriber of the brand with every topic confirmed, whose profile keeps `locale` (or none). */
async function seed(addr: string, locale?: Locale) {
  await updateSubscriber(stack.deps.db, stack.clock, emailIdFor(stack, addr), (sub) => {
    const next: Subscriber = structuredClone(sub);
    next.email = addr;
    const topics = Object.fromEntries(['newsletter', 'promotions', 'events', 'surveys'].map((t) => [t, { state: 'subscribed' as const, at }]));
    next.brands[BRAND] = { topics, ...(locale ? { locale } : {}) };
    return { next, events: [] };
  });
}

const call = (method: string, path: string, body?: unknown) =>
  stack.app.request(path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function createTemplate(name: string, content: { Subject: string; Text?: string; Html?: string }) {
  await (await stack.deps.ses()).send(new CreateEmailTemplateCommand({ TemplateName: name, TemplateContent: content }));
}

async function untilCampaignDone(id: string) {
  for (let i = 0; i < 200; i++) {
    const p = (await (await call('GET', `/v1/campaigns/${id}`)).json()) as { counts: Record<string, number> };
    if (p.counts.pending === 0) return p;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('campaign did not finish');
}

const content = {
  subject: 'News from {{brandName}}',
  text: 'Hello {{name}}',
  html: '<html><body><p>Hello {{name}}</p></body></html>',
};

describe('the footer of every marketing mail', () => {
  it('is in the text and HTML of content and template mail, through /v1/sends and campaigns, in ja and en', async () => {
    const template = `footer-ok-${suffix()}`;
    await createTemplate(template, {
      Subject: 'News from {{brandName}}',
      Text: 'Hello {{name}}\n\n{{footer}}',
      Html: '<p>Hello {{name}}</p>{{{footerHtml}}}',
    });
    const combos = [
      ['sends', 'content'],
      ['sends', 'template'],
      ['campaign', 'content'],
      ['campaign', 'template'],
    ] as const;
    const brand = stack.deps.config.brands.get(BRAND);
    for (const [route, kind] of combos) {
      // ja from the profile, en from the profile; the brand's default (ja) for a profile without one is the third.
      const to = { ja: uniqueEmail('ja'), en: uniqueEmail('en'), none: uniqueEmail('none') };
      await seed(to.ja, 'ja');
      await seed(to.en, 'en');
      await seed(to.none);
      const campaignId = `footer-${route}-${kind}-${suffix()}`;
      const body = {
        ...marketing,
        campaignId,
        ...(kind === 'content' ? { content } : { template: { name: template } }),
        recipients: Object.values(to).map((email) => ({ email, data: { name: 'Taro' } })),
      };
      const res = await call('POST', route === 'sends' ? '/v1/sends' : `/v1/campaigns/${campaignId}/recipients`, body);
      expect(res.status, `${route} ${kind}`).toBe(route === 'sends' ? 200 : 202);
      if (route === 'campaign') expect((await untilCampaignDone(campaignId)).counts.sent).toBe(3);
      for (const [who, locale] of [
        ['ja', 'ja'],
        ['en', 'en'],
        ['none', 'ja'],
      ] as const) {
        const [mail] = await waitForMails(to[who]);
        const url = expectMarketingFooter(stack, mail, BRAND, locale);
        // The brand's name in the recipient's language too.
        expect(mail?.subject, `${route} ${kind} ${who}`).toBe(`News from ${brand?.name[locale]}`);
        expect(mail?.body.text).toContain('Hello Taro');
        if (route === 'sends' && kind === 'content') await expectTopicOfferedFirst(stack, url, TOPIC, locale);
      }
    }
  });

  it('links to a page whose first form unsubscribes this topic, in one click', async () => {
    const to = uniqueEmail('first');
    await seed(to, 'en');
    const sent = await call('POST', '/v1/sends', {
      ...marketing,
      campaignId: `first-${suffix()}`,
      content,
      recipients: [{ email: to, data: { name: 'Ann' } }],
    });
    expect(sent.status).toBe(200);
    const url = expectMarketingFooter(stack, (await waitForMails(to))[0], BRAND, 'en');
    const path = new URL(url).pathname;
    const res = await stack.app.request(`${path}?lang=en`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    const prefs = (await (await stack.app.request(`/v1/preferences/${path.split('/u/')[1]}`)).json()) as { topics: Record<string, string> };
    expect(prefs.topics).toMatchObject({ [TOPIC]: 'unsubscribed', newsletter: 'subscribed' });
  });

  it('cannot be replaced or emptied by the data a caller sends', async () => {
    const to = uniqueEmail('override');
    await seed(to, 'en');
    const data = { name: 'Taro', footer: 'NO-FOOTER', footerHtml: 'NO-FOOTER', unsubscribeUrl: 'https://evil.example/', brandName: 'Evil' };
    await call('POST', '/v1/sends', {
      ...marketing,
      campaignId: `override-${suffix()}`,
      content: { subject: 'From {{brandName}}', text: 'Hi {{name}} {{unsubscribeUrl}}\n{{footer}}', html: '<p>{{footer}}</p>' },
      recipients: [{ email: to, data }],
    });
    const [mail] = await waitForMails(to);
    expectMarketingFooter(stack, mail, BRAND, 'en');
    expect(mail?.subject).toBe('From Cotogoto');
    expect(JSON.stringify(mail?.body)).not.toMatch(/NO-FOOTER|evil\.example|Evil/);
  });

  it('is not added to transactional mail', async () => {
    const to = uniqueEmail('tx');
    await seed(to, 'en');
    const res = await call('POST', '/v1/sends', {
      ...marketing,
      category: 'transactional',
      purpose: 'order',
      campaignId: `tx-${suffix()}`,
      content: { subject: 'Your order', text: 'Thank you', html: '<p>Thank you</p>' },
      recipients: [{ email: to }],
    });
    expect(((await res.json()) as { results: { status: string }[] }).results[0]?.status).toBe('sent');
    const [mail] = await waitForMails(to);
    const sender = stack.deps.config.brands.get(BRAND)?.sender;
    expect(mail?.body.text).toBe('Thank you');
    expect(mail?.body.html).not.toContain(sender?.legalName.en);
  });
});

describe('an SES template used for marketing', () => {
  const refusals = [
    ['without {{footer}} in its text', { Subject: 's', Text: 'Hello', Html: '<p>Hello</p>{{{footerHtml}}}' }, '{{footer}}'],
    ['with the footer only in a comment', { Subject: 's', Text: 'Hello {{!-- {{footer}} --}}', Html: '{{{footerHtml}}}' }, '{{footer}}'],
    ['with an escaped {{footerHtml}} in its HTML', { Subject: 's', Text: 'Hello {{footer}}', Html: '<p>Hello</p>{{footerHtml}}' }, '{{{footerHtml}}}'],
    ['without the footer in its HTML', { Subject: 's', Text: 'Hello {{footer}}', Html: '<p>Hello</p>' }, '{{{footerHtml}}}'],
  ] as const;

  it.each(refusals)('%s is refused with 400 by /v1/sends and the campaign route, nothing stored or sent', async (_, parts, named) => {
    const template = `footer-bad-${suffix()}`;
    await createTemplate(template, parts);
    const to = uniqueEmail('refused');
    await seed(to, 'ja');
    const campaignId = `refused-${suffix()}`;
    const body = { ...marketing, campaignId, template: { name: template }, recipients: [{ email: to }] };
    for (const path of ['/v1/sends', `/v1/campaigns/${campaignId}/recipients`]) {
      const res = await call('POST', path, body);
      expect(res.status, path).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; details: { path: string; message: string }[] } };
      expect(error.code).toBe('invalid-request');
      expect(error.details).toContainEqual({ path: 'template.name', message: expect.stringContaining(named) });
    }
    expect((await call('GET', `/v1/campaigns/${campaignId}`)).status).toBe(404);
    // Transactional mail is not marketing: the same template may be sent as such.
    const tx = await call('POST', '/v1/sends', { ...body, category: 'transactional', purpose: 'order', campaignId: `${campaignId}-tx` });
    expect(tx.status).toBe(200);
    expect(await waitForMails(to)).toHaveLength(1);
  });

  it('that loses its footer after the campaign took it: the batch fails as template-missing-footer, nothing sent', async () => {
    const held = await createTestStack({ config: { CAMPAIGN_SEND_RATE: '1000' } });
    try {
      // A queue whose worker does not come yet, so that the template changes between intake and send.
      held.deps.campaignQueue = { enqueue: async () => {} };
      const template = `footer-later-${suffix()}`;
      await createTemplate(template, { Subject: 's', Text: 'Hi {{footer}}', Html: '{{{footerHtml}}}' });
      const to = [uniqueEmail('later'), uniqueEmail('later')];
      for (const e of to) {
        await updateSubscriber(held.deps.db, held.clock, emailIdFor(held, e), (sub) => {
          const next: Subscriber = structuredClone(sub);
          next.email = e;
          next.brands[BRAND] = { topics: { [TOPIC]: { state: 'subscribed', at } } };
          return { next, events: [] };
        });
      }
      const campaignId = `later-${suffix()}`;
      const res = await held.app.request(`/v1/campaigns/${campaignId}/recipients`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        body: JSON.stringify({ ...marketing, campaignId, template: { name: template }, recipients: to.map((email) => ({ email })) }),
      });
      expect(res.status).toBe(202);
      await (await held.deps.ses()).send(
        new UpdateEmailTemplateCommand({ TemplateName: template, TemplateContent: { Subject: 's', Text: 'Hi', Html: '<p>Hi</p>' } }),
      );
      const { runCampaign } = await import('../../functions/use-cases/run-campaign');
      const { unlimited } = await import('../../functions/queue/rate-limiter');
      await runCampaign(held.deps, { campaignId }, { limiter: unlimited });
      const records = await readRecipients(
        held.deps.db,
        campaignId,
        to.map((e) => emailIdFor(held, e)),
      );
      expect([...records.values()].map((r) => [r.status, r.reason])).toEqual([
        ['failed', 'template-missing-footer'],
        ['failed', 'template-missing-footer'],
      ]);
      for (const e of to) expect(await mailsTo(e)).toHaveLength(0);
    } finally {
      await held.dispose();
    }
  });
});

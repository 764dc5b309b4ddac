import { createRoute } from '@hono/zod-openapi';
import { ValidationError } from '../../core/errors';
import { SKIP_REASONS } from '../../core/recipient-filter';
import type { Deps } from '../../deps';
import { addCampaignRecipients } from '../../use-cases/add-campaign-recipients';
import { filterRecipients } from '../../use-cases/filter-recipients';
import { getCampaignProgress } from '../../use-cases/get-campaign-progress';
import { type SendInput, sendToRecipients } from '../../use-cases/send-to-recipients';
import { requireAdmin, requireBody, requireSenderOf } from '../middleware';
import { z } from '../openapi-zod';
import { newRouter } from '../router';
import { errors, requiredBody } from '../schemas';

/** CONTRACT.md "Sending": the send filter, sends, campaigns (privileged). */
const MAX_FILTER = 10_000;
const MAX_SEND = 50;

const brand = z.string().min(1).max(64).openapi({ example: 'livlog' });
const topic = z
  .string()
  .min(1)
  .max(64)
  .optional()
  .openapi({ example: 'newsletter', description: "Required for marketing (one of the brand's topics); for transactional only a label." });
const category = z.enum(['marketing', 'transactional']);
const purpose = z.string().min(1).max(32).optional().openapi({
  example: 'order',
  description: "Transactional only: one of the brand's transactionalPurposes, recorded with each send and tagged in SES. Refused on marketing.",
});
const campaignId = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, dot, dash and underscore, up to 64')
  .openapi({ example: 'nl-2026-12' });
const skipReason = z.enum(SKIP_REASONS);

const filterBody = z
  .object({ brand, topic, category, purpose, recipients: z.array(z.string().max(1000)).max(MAX_FILTER, `at most ${MAX_FILTER} recipients`) })
  .openapi('SendFilterRequest');
const filterAnswer = z
  .object({ eligible: z.array(z.string()), skipped: z.array(z.object({ email: z.string(), reason: skipReason })) })
  .openapi('SendFilterResult');

const sendBody = (max: number, name: string) =>
  z
    .object({
      brand,
      topic,
      category,
      purpose,
      campaignId,
      template: z.object({ name: z.string().min(1).max(64) }).optional(),
      content: z.object({ subject: z.string().min(1).max(998), html: z.string().max(500_000).optional(), text: z.string().min(1).max(500_000) }).optional(),
      recipients: z
        .array(z.object({ email: z.string().max(1000), data: z.record(z.string(), z.string().max(10_000)).optional() }))
        .min(1)
        .max(max, `at most ${max} recipients`),
    })
    .refine((b) => (b.template === undefined) !== (b.content === undefined), { message: 'give either template or content', path: ['template'] })
    .openapi(name);

const sendAnswer = z
  .object({
    results: z.array(
      z.object({ email: z.string(), status: z.enum(['sent', 'skipped', 'failed']), messageId: z.string().optional(), reason: z.string().optional() }),
    ),
  })
  .openapi('SendResults');

const privileged = { security: [{ adminBearer: [] }], tags: ['sending'] };
const bodyErrors = errors('json', { 400: true, 401: true, 413: true, 415: true, 503: true });
const INVALID_SCOPE =
  "invalid-request: a bad field (`details` names each one); among them a marketing send without one of the brand's topics or with a purpose, a transactional one without one of the brand's transactionalPurposes";
const sendErrors = errors('json', {
  400: INVALID_SCOPE,
  401: true,
  403: 'forbidden: transactional mail from a caller that may not send it (in AWS only the roles of the deploy setting transactionalSenderRoles may); nothing stored or sent',
  413: true,
  415: true,
  503: true,
});

const filterRoute = createRoute({
  method: 'post',
  path: '/v1/sends/filter',
  operationId: 'filterRecipients',
  summary: 'Who may be mailed: eligible addresses and the skipped with their first reason',
  description:
    "Up to 10,000 addresses; input order kept, duplicates collapsed. Reads only. Skip reasons in the order they are given: invalid-address, duplicate, erased, suppressed-complaint, suppressed-bounce, suppressed-manual, restricted, unsubscribed-all, unsubscribed-topic, no-consent (transactional skips only the first six). Marketing names a topic of the brand; transactional may name its purpose (checked against the brand's transactionalPurposes when given; the answer does not depend on it), so the body of the send that follows can be filtered as it is. Any privileged caller may filter either category: it sends nothing.",
  ...privileged,
  request: { body: requiredBody({ 'application/json': { schema: filterBody } }) },
  responses: {
    200: { description: 'Decided, input order kept', content: { 'application/json': { schema: filterAnswer } } },
    ...bodyErrors,
  },
});

const sendRoute = createRoute({
  method: 'post',
  path: '/v1/sends',
  operationId: 'sendMessages',
  summary: 'Filter, then send through SES (idempotent per campaignId and address)',
  description:
    "Up to 50 recipients. Marketing mail names a topic of the brand and gets per-recipient List-Unsubscribe and List-Unsubscribe-Post headers and, in its text and HTML, the footer in the recipient's language (legal sender, postal address, contact, that the recipient may stop these mails, and the link to this mail's /u/{token}), which a sender cannot leave out: content places it with {{footer}}, else it is appended; an SES template for marketing must place {{footer}} in its text part and {{{footerHtml}}} in its HTML part. {{brandName}} is the brand's name in the recipient's language; data never overrides brandName, unsubscribeUrl, footer or footerHtml. Transactional mail names a purpose from the brand's transactionalPurposes (400 otherwise), recorded with each send and tagged in SES (tag purpose); its topic is optional, a label. In AWS only the roles of the deploy setting transactionalSenderRoles may send transactional (403 otherwise); locally the admin token may send both. A repeated call answers the first results and sends nothing again; each recipient ends sent, skipped or failed with a reason. 400 before anything is stored or sent: an unknown template, a marketing template without the footer (details template.name), a bad topic or purpose, a control character in the subject, a placeholder some recipient has no value for (details content.subject/text/html); the 403 too comes before anything is stored or sent.",
  ...privileged,
  request: { body: requiredBody({ 'application/json': { schema: sendBody(MAX_SEND, 'SendRequest') } }) },
  responses: { 200: { description: 'Result per recipient', content: { 'application/json': { schema: sendAnswer } } }, ...sendErrors },
});

const campaignParams = z.object({ campaignId });

const addRecipientsRoute = createRoute({
  method: 'post',
  path: '/v1/campaigns/{campaignId}/recipients',
  operationId: 'addCampaignRecipients',
  summary: 'Add recipients to a campaign, sent asynchronously within the send rate',
  description:
    'Same body and the same rules as /v1/sends (topic and purpose, who may send transactional, the marketing footer) with up to 10,000 recipients a call, any number of calls, and the same 400s and 403 before anything is stored (an unknown template, a marketing template without {{footer}} in its text or {{{footerHtml}}} in its HTML, a control character in the subject, a missing value). The first call fixes brand, topic, category, purpose and mail; a later call naming others is 400. Recipients are filtered and sent by the campaign worker at CAMPAIGN_SEND_RATE, each mail decided again after its wait for the rate; skipped ones take no share of the rate, so E eligible recipients at a rate of R take about E / R seconds. Each batch by template is checked again just before it is sent: a template that no longer places the footer makes its recipients failed with reason template-missing-footer (template-not-found when deleted), nothing sent.',
  ...privileged,
  request: {
    params: campaignParams,
    body: requiredBody({
      'application/json': {
        schema: sendBody(MAX_FILTER, 'CampaignRecipientsRequest').openapi({ description: 'campaignId in the body must equal the path' }),
      },
    }),
  },
  responses: {
    202: {
      description: 'Stored; duplicates (within the call or of earlier calls) are not added again',
      content: { 'application/json': { schema: z.object({ accepted: z.number().int(), duplicates: z.number().int() }) } },
    },
    ...sendErrors,
  },
});

const progressRoute = createRoute({
  method: 'get',
  path: '/v1/campaigns/{campaignId}',
  operationId: 'getCampaignProgress',
  summary: 'Progress of a campaign by status and skip reason',
  description: 'The counts move in the same transactions as the recipients they count.',
  ...privileged,
  request: { params: campaignParams },
  responses: {
    200: {
      description: 'Counters',
      content: {
        'application/json': {
          schema: z
            .object({
              campaignId: z.string(),
              counts: z.object({ accepted: z.number(), pending: z.number(), sent: z.number(), skipped: z.number(), failed: z.number() }),
              skippedBy: z.record(z.string(), z.number()),
            })
            .openapi('CampaignProgress'),
        },
      },
    },
    ...errors('json', { 400: 'invalid-request: not a campaign id', 401: true, 404: 'not-found: no such campaign', 503: true }),
  },
});

export function sendRoutes(deps: Deps) {
  const admin = requireAdmin(deps.config);
  const json = requireBody('json');
  const r = newRouter();
  r.use('/v1/sends', admin, json);
  r.use('/v1/sends/*', admin, json);
  r.use('/v1/campaigns/*', admin);
  r.post('/v1/campaigns/:campaignId/recipients', json);
  return r
    .openapi(filterRoute, async (c) => {
      const body = c.req.valid('json');
      const out = await filterRecipients(deps, body);
      c.get('log').info('filtered', { count: body.recipients.length, eligible: out.eligible.length, calls: out.stats.calls, retries: out.stats.retries });
      return c.json({ eligible: out.eligible, skipped: out.skipped }, 200);
    })
    .openapi(sendRoute, async (c) => {
      const body = c.req.valid('json') as SendInput;
      requireSenderOf(c, deps.config, body.category);
      const results = await sendToRecipients(deps, body);
      return c.json({ results }, 200);
    })
    .openapi(addRecipientsRoute, async (c) => {
      const { campaignId: id } = c.req.valid('param');
      const body = c.req.valid('json') as SendInput;
      if (body.campaignId !== id) {
        throw new ValidationError('The campaignId of the body and of the path differ.', [{ path: 'campaignId', message: 'must equal the path' }]);
      }
      requireSenderOf(c, deps.config, body.category);
      const out = await addCampaignRecipients(deps, body);
      return c.json(out, 202);
    })
    .openapi(progressRoute, async (c) => c.json(await getCampaignProgress(deps, c.req.valid('param').campaignId), 200));
}

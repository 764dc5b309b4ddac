import { z } from 'zod';

/**
 * The body of one campaign queue message, the one schema of both ends: the producer
 * (`encodeCampaignMessage`, called by every queue's `enqueue`) refuses work the worker would not
 * accept, and the worker (`decodeCampaignMessage`) accepts nothing else. Unknown fields are
 * stripped rather than refused, so that a producer deployed before its worker (one more field)
 * does not have its messages dropped.
 */
export const campaignMessageSchema = z.object({
  campaignId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, dot, dash and underscore, up to 64'),
  // Each id is an emailId (43 base64url characters), never an address; 1,000 of them stay far
  // below SQS's 256 KiB body (the producer sends 50).
  emailIds: z
    .array(z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'an emailId'))
    .min(1)
    .max(1000)
    .optional(),
});

/** One unit of campaign work: these recipients (or every pending one) of this campaign. */
export type CampaignWork = z.infer<typeof campaignMessageSchema>;

/** Throws on work that the worker would drop: a producer bug fails its request, it never reaches the queue. */
export function encodeCampaignMessage(work: CampaignWork): string {
  const parsed = campaignMessageSchema.safeParse(work);
  if (!parsed.success) throw new Error(`campaign work the worker would refuse: ${describeIssues(parsed.error).join('; ')}`);
  return JSON.stringify(parsed.data);
}

/**
 * The work in a message body, or what is wrong with it: paths and zod codes only, never the
 * values (a body that is not what it should be may hold anything, an address included).
 */
export function decodeCampaignMessage(body: string): { ok: true; work: CampaignWork } | { ok: false; issues: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { ok: false, issues: ['body: not JSON'] };
  }
  const parsed = campaignMessageSchema.safeParse(raw);
  return parsed.success ? { ok: true, work: parsed.data } : { ok: false, issues: describeIssues(parsed.error) };
}

const describeIssues = (error: z.ZodError): string[] => error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.code}`);

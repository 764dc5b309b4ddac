import { array, type Issue, object, optional, parse, refine, string, type Value } from '../core/check';

const MAX_IDS = 1000;

/**
 * The body of one campaign queue message, the one schema of both ends: the producer
 * (`encodeCampaignMessage`, called by every queue's `enqueue`) refuses work the worker would not
 * accept, and the worker (`decodeCampaignMessage`) accepts nothing else. Unknown fields are
 * stripped rather than refused, so that a producer deployed before its worker (one more field)
 * does not have its messages dropped. Checked with core/check.ts, not a schema library: the
 * privileged function and the worker read this module at start.
 */
const campaignMessage = object({
  campaignId: string({ pattern: /^[A-Za-z0-9_.-]{1,64}$/, message: 'letters, digits, dot, dash and underscore, up to 64' }),
  // Each id is an emailId (43 base64url characters), never an address; 1,000 of them stay far
  // below SQS's 256 KiB body (the producer sends 50).
  emailIds: optional(
    refine(array(string({ pattern: /^[A-Za-z0-9_-]{43}$/, message: 'an emailId' }), 1), (ids, report) => {
      if (ids.length > MAX_IDS) report(`Too big: expected array to have <=${MAX_IDS} items`);
    }),
  ),
});

/** One unit of campaign work: these recipients (or every pending one) of this campaign. */
export interface CampaignWork {
  campaignId: string;
  emailIds?: string[];
}

// The check leaves out a field that is absent, so what it gives is a CampaignWork.
const workOf = (v: Value<typeof campaignMessage>): CampaignWork => v as CampaignWork;

/** Throws on work that the worker would drop: a producer bug fails its request, it never reaches the queue. */
export function encodeCampaignMessage(work: CampaignWork): string {
  const parsed = parse(campaignMessage, work);
  if (!parsed.ok) throw new Error(`campaign work the worker would refuse: ${describeIssues(parsed.issues).join('; ')}`);
  return JSON.stringify(workOf(parsed.value));
}

/**
 * The work in a message body, or what is wrong with it: paths and the rule broken only, never the
 * values (a body that is not what it should be may hold anything, an address included).
 */
export function decodeCampaignMessage(body: string): { ok: true; work: CampaignWork } | { ok: false; issues: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { ok: false, issues: ['body: not JSON'] };
  }
  const parsed = parse(campaignMessage, raw);
  return parsed.ok ? { ok: true, work: workOf(parsed.value) } : { ok: false, issues: describeIssues(parsed.issues) };
}

const describeIssues = (issues: Issue[]): string[] => issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`);

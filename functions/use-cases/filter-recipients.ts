import { prepareRecipients, type SendCategory, type SkipReason } from '../core/recipient-filter';
import type { Deps } from '../deps';
import type { BatchReadOptions, BatchReadStats } from '../store/recipients';
import { decideRecipients, resolveScope } from './decide-recipients';

export interface FilterInput {
  brand: string;
  topic?: string | undefined;
  category: SendCategory;
  /** Checked when given; the filter's answer does not depend on it. */
  purpose?: string | undefined;
  recipients: string[];
}

export interface FilterResult {
  /** Normalized addresses that may be mailed, in input order. */
  eligible: string[];
  /** The rest, each as given, with the first reason that applies. */
  skipped: { email: string; reason: SkipReason }[];
  stats: BatchReadStats;
}

/**
 * POST /v1/sends/filter. Reads only. Steps:
 * 1. resolve brand, topic and (when given) purpose;
 * 2. normalize and collapse duplicates (invalid → `invalid-address`, repeats → `duplicate`);
 * 3. read and decide the rest in one batched pass;
 * 4. answer in input order.
 */
export async function filterRecipients(
  deps: Pick<Deps, 'config' | 'db' | 'emailIdOf'>,
  input: FilterInput,
  opts: BatchReadOptions = {},
): Promise<FilterResult> {
  const { scope } = resolveScope(deps, input, { purpose: 'when-given' });
  const prepared = prepareRecipients(
    input.recipients.map((email) => ({ email, data: undefined })),
    deps.emailIdOf,
  );
  const ids = prepared.flatMap((p) => ('emailId' in p ? [p.emailId] : []));
  const { decisions, stats } = await decideRecipients(deps, scope, ids, opts);
  const out: FilterResult = { eligible: [], skipped: [], stats };
  for (const p of prepared) {
    if (!('emailId' in p)) {
      out.skipped.push({ email: p.input, reason: p.skip });
      continue;
    }
    const d = decisions.get(p.emailId);
    if (d?.eligible) out.eligible.push(p.email);
    else out.skipped.push({ email: p.input, reason: d ? d.reason : 'no-consent' });
  }
  return out;
}

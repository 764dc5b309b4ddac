import type { Locale } from './brands';
import type { ChangeContext, Decision } from './consent';
import type { Subscriber } from './subscriber';

/**
 * Rectification of what is held about a person: the name, and the mail language per brand.
 * The address itself is not rectified here: a different address is a different key (`emailId`),
 * so the officer asks the person to subscribe the new one and, if they wish, erase the old one.
 * The ledger records which fields changed, never their values.
 */
export interface RectifiedFields {
  name?: string;
  locale?: Locale;
}

export function rectify(s: Subscriber, fields: RectifiedFields, ctx: ChangeContext): Decision | undefined {
  if (s.status === 'erased') return undefined;
  const at = ctx.at.toISOString();
  let next: Subscriber = s;
  const changed: string[] = [];
  if (fields.name !== undefined && fields.name !== s.name) {
    next = { ...next, name: fields.name };
    changed.push('name');
  }
  if (fields.locale) {
    const brands = { ...next.brands };
    for (const [id, b] of Object.entries(brands)) {
      if (b.locale !== fields.locale) {
        brands[id] = { ...b, locale: fields.locale };
        if (!changed.includes('locale')) changed.push('locale');
      }
    }
    next = { ...next, brands };
  }
  if (changed.length === 0) return undefined;
  return {
    next: { ...next, updatedAt: at },
    events: [
      {
        type: 'rectified',
        at,
        source: ctx.source,
        changes: changed.map((f) => ({ to: f })),
        ...(ctx.by ? { by: ctx.by } : {}),
        ...(ctx.ref ? { ref: ctx.ref } : {}),
      },
    ],
  };
}

import { marshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unsubscribeSubscribedTopic } from '../../functions/core/consent';
import { consentWording } from '../../functions/core/consent-wording';
import { toAttributeMap, toAttributeValue } from '../../functions/store/attribute-values';

// The document client's options (store/client.ts), which the one-click fast path's own marshalling must match.
const sdk = (value: Record<string, unknown>) => marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: false });

describe('toAttributeValue', () => {
  it("stores a one-click's change exactly as the document client would", () => {
    for (const extra of [{}, { ip: '203.0.113.9', userAgent: 'Gmail' }, { ip: undefined, userAgent: '' }]) {
      const change = unsubscribeSubscribedTopic('livlog', 'newsletter', {
        at: new Date('2026-12-02T06:00:00.123Z'),
        source: 'one-click',
        wording: consentWording('one-click', 'ja', 'Livlog'),
        policyVersion: '2026-04-01',
        ...extra,
      });
      const values = { ':topic': change.topic, ':at': change.topic.at, ':none': [], ':events': [change.event], ':subscribed': 'subscribed' };
      expect(toAttributeMap(values)).toEqual(sdk(values));
    }
  });

  it('agrees with the SDK on any plain value', () => {
    // A member named `__proto__` the SDK loses (it assigns members, which sets the prototype); its
    // own test is below.
    const key = fc.string().filter((k) => k !== '__proto__');
    const plain = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(fc.dictionary(key, plain, { maxKeys: 5 }), (item) => {
        expect(toAttributeMap(item)).toEqual(sdk(item));
      }),
      { numRuns: 300 },
    );
  });

  it("stores a member named __proto__ as a member, never as the map's prototype (the SDK drops it)", () => {
    const item = JSON.parse('{"__proto__": [], "a": {"__proto__": "x"}}') as Record<string, unknown>;
    const map = toAttributeMap(item);
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(map, '__proto__')?.value).toEqual({ L: [] });
    const inner = map.a?.M ?? {};
    expect(Object.getPrototypeOf(inner)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(inner, '__proto__')?.value).toEqual({ S: 'x' });
    expect(Object.hasOwn(sdk(item), '__proto__')).toBe(false);
  });

  it('refuses what the SDK refuses: class instances, unsafe and special numbers', () => {
    for (const bad of [new Date(0), Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(() => sdk({ v: bad })).toThrow();
      expect(() => toAttributeValue(bad)).toThrow(TypeError);
    }
  });
});

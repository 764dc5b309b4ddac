import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * A plain value (strings, numbers, booleans, null, lists, plain objects) as DynamoDB's attribute
 * value, as the document client marshals such a value with our options (store/client.ts: undefined
 * members dropped, class instances refused). What the document client would store otherwise (Sets,
 * Maps, binary, BigInt) or drop (functions) is refused here: no value on this path is one. Only
 * the one-click fast path uses it: a one-click is the whole first request of most starts of the
 * public function, and the document client's packages are a large part of such a start
 * (bench/README.md, "Cold start"). test/unit/attribute-values.test.ts holds it to the SDK's
 * `marshall` for every value that path sends.
 */
export function toAttributeValue(value: unknown): AttributeValue {
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'boolean':
      return { BOOL: value };
    case 'number':
      if (!Number.isFinite(value) || !Number.isSafeInteger(Math.trunc(value))) throw new TypeError(`cannot store the number ${value}`);
      return { N: String(value) };
    case 'object':
      if (Array.isArray(value)) return { L: value.filter((v) => v !== undefined).map(toAttributeValue) };
      return { M: toAttributeMap(value) };
    default:
      throw new TypeError(`cannot store a value of type ${typeof value}`);
  }
}

/** A plain object's members as an attribute map (an item, or the values of an expression). */
export function toAttributeMap(value: object): Record<string, AttributeValue> {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new TypeError('cannot store a class instance');
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : [[k, toAttributeValue(v)]])));
}

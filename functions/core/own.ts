/**
 * A caller-supplied key looked up on a plain object finds what every object inherits
 * (`constructor`, `__proto__`, `toString`…): a function where the code expects a value or
 * `undefined`. Every lookup by a key that came from outside (a token, a body, a query, a stored
 * record) goes through this, or through a `Map`.
 */
export function own<V>(record: Readonly<Record<string, V>> | undefined, key: string): V | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

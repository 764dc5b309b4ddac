import type { docs as ja } from '../ja/docs';

/** English: the same keys as the Japanese catalogue (the type says so). */
export const docs: typeof ja = {
  title: 'API reference',
  machine: 'The same, machine-readable (OpenAPI 3.1):',
  privileged: 'Routes marked 🔒 are privileged: locally they need this header, in AWS a SigV4 (IAM) signature:',
  body: 'Body',
  answers: 'Answers',
  required: 'required',
  optional: 'optional',
  oneOf: 'one of',
  arrayOf: (type) => `array of ${type}`,
  mapOf: (type) => `map of ${type}`,
  any: 'any value',
};

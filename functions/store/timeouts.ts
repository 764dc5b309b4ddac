/**
 * How long one DynamoDB call may take. A store that accepts connections and never answers (a
 * stopped process, a network that drops the replies) must cost a request a 503 within 5 seconds
 * (CONTRACT.md "Errors"), not the SDK's five-minute socket timeout: every attempt has a connection
 * and a request timeout, and the attempts are counted, so a call's worst case is known
 * (`storeCallBudgetMs`) and can be held against a function's own timeout (lib/constructs/app-function.ts).
 */
export interface StoreTimeouts {
  /** Milliseconds to establish a connection. */
  connectMs: number;
  /** Milliseconds one attempt may take, connection included. */
  requestMs: number;
  /** Attempts of one call, the first included (the SDK retries throttling, 5xx and timeouts). */
  maxAttempts: number;
}

/**
 * DynamoDB answers in milliseconds; 2 s is a fault, not a slow day. Two attempts of 2 s keep a call
 * that gets no answer under 4.2 s, inside the contract's 5 s with room for the request's own work.
 */
export const STORE_TIMEOUT_DEFAULTS: StoreTimeouts = { connectMs: 1000, requestMs: 2000, maxAttempts: 2 };

// The SDK's pause before another attempt after a timeout: full jitter on a 50 ms base, doubling.
const BACKOFF_ALLOWANCE_MS = 100;

/** The longest one call can take when the store does not answer: every attempt runs into its timeout. */
export const storeCallBudgetMs = (t: StoreTimeouts): number => t.maxAttempts * t.requestMs + (t.maxAttempts - 1) * BACKOFF_ALLOWANCE_MS;

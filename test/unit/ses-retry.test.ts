import { describe, expect, it } from 'vitest';
import { failureReason, isRetryableSesError, withRetry } from '../../functions/mail/bulk';

const err = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...extra });

describe('which SES failures are sent again', () => {
  it('retries what SES refused (throttling, its own 5xx answer) and a connection never made', () => {
    expect(isRetryableSesError(err('ThrottlingException', { $metadata: { httpStatusCode: 429 } }))).toBe(true);
    expect(isRetryableSesError(err('TooManyRequestsException'))).toBe(true);
    expect(isRetryableSesError(err('InternalServerError', { $fault: 'server', $metadata: { httpStatusCode: 500 } }))).toBe(true);
    expect(isRetryableSesError(err('Error', { code: 'ECONNREFUSED' }))).toBe(true);
  });

  it('never retries a timeout or a dropped connection, after which the mail may have gone out', () => {
    for (const e of [err('TimeoutError'), err('Error', { code: 'ECONNRESET' }), err('Error', { code: 'ETIMEDOUT' }), err('Error', { code: 'EPIPE' })]) {
      expect(isRetryableSesError(e)).toBe(false);
      expect(failureReason(e)).toBe('ses-outcome-unknown');
    }
  });

  it('calls a send once when its outcome is unknown, and again when SES throttled it', async () => {
    let calls = 0;
    const noSleep = { sleep: async () => {} };
    await expect(
      withRetry(async () => {
        calls++;
        throw err('TimeoutError');
      }, noSleep),
    ).rejects.toThrow();
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        if (calls < 3) throw err('ThrottlingException');
        return 'sent';
      }, noSleep),
    ).resolves.toBe('sent');
    expect(calls).toBe(3);
  });
});

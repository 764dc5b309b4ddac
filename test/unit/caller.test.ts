import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config';
import { assumedRoleName, mayUseTransactional } from '../../functions/core/caller';

const key = Buffer.alloc(32, 5).toString('base64');
const base = {
  TABLE_NAME: 'privacy',
  PUBLIC_BASE_URL: 'https://prefs.livlog.jp',
  TOKEN_KEYS: JSON.stringify({ a: key }),
  TOKEN_SIGNING_KEY_ID: 'a',
  EMAIL_PEPPER: key,
};

describe('the caller of a privileged route in AWS', () => {
  it('takes the role name from an assumed-role ARN, and nothing from any other principal', () => {
    expect(assumedRoleName('arn:aws:sts::123456789012:assumed-role/orders-mailer/i-0abc')).toBe('orders-mailer');
    expect(assumedRoleName('arn:aws:sts::123456789012:assumed-role/Ops+Mail=1,x.y@z_w-v/botocore-session-1')).toBe('Ops+Mail=1,x.y@z_w-v');
    expect(assumedRoleName('arn:aws-cn:sts::123456789012:assumed-role/orders-mailer/s1')).toBe('orders-mailer');
    for (const other of [
      'arn:aws:iam::123456789012:user/orders-mailer',
      'arn:aws:iam::123456789012:role/orders-mailer',
      'arn:aws:iam::123456789012:root',
      'arn:aws:sts::123456789012:federated-user/orders-mailer',
      'arn:aws:sts::123456789012:assumed-role/orders-mailer',
      'arn:aws:sts::1234:assumed-role/orders-mailer/s1',
      'arn:aws:sts::123456789012:assumed-role/orders-mailer/s1/extra',
      '',
      undefined,
    ]) {
      expect(assumedRoleName(other), String(other)).toBeUndefined();
    }
  });

  it('allows transactional mail only to a session of a named role, matched exactly', () => {
    const roles = ['orders-mailer'];
    expect(mayUseTransactional('arn:aws:sts::123456789012:assumed-role/orders-mailer/s1', roles)).toBe(true);
    expect(mayUseTransactional('arn:aws:sts::123456789012:assumed-role/Orders-Mailer/s1', roles)).toBe(false);
    expect(mayUseTransactional('arn:aws:sts::123456789012:assumed-role/orders-mailer-2/s1', roles)).toBe(false);
    expect(mayUseTransactional('arn:aws:iam::123456789012:user/orders-mailer', roles)).toBe(false);
    expect(mayUseTransactional(undefined, roles)).toBe(false);
    expect(mayUseTransactional('arn:aws:sts::123456789012:assumed-role/orders-mailer/s1', [])).toBe(false);
  });

  it('reads TRANSACTIONAL_SENDER_ROLES as a JSON array of role names (none by default) and fails naming it otherwise', () => {
    expect(loadConfig(base).transactionalSenderRoles).toEqual([]);
    expect(loadConfig({ ...base, TRANSACTIONAL_SENDER_ROLES: '["orders-mailer","security,notices"]' }).transactionalSenderRoles).toEqual([
      'orders-mailer',
      'security,notices',
    ]);
    for (const bad of ['orders-mailer', '["has space"]', '[""]', '{"a":1}', `["${'x'.repeat(65)}"]`]) {
      expect(() => loadConfig({ ...base, TRANSACTIONAL_SENDER_ROLES: bad }), bad).toThrow(/TRANSACTIONAL_SENDER_ROLES/);
    }
  });
});

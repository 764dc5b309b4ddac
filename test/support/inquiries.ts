import { expect } from 'vitest';
import type { InquiryType } from '../../functions/core/inquiry';
import { type InboxMail, linkIn, waitForMails } from './inbox';
import { TEST_ADMIN_TOKEN, type TestStack } from './stack';

/** Helpers for driving inquiries through the API the way a requester and an officer do. */
export const BASE = 'http://127.0.0.1:3000';

export async function submit(stack: TestStack, body: Record<string, unknown>, env?: Record<string, unknown>) {
  return stack.app.request('/v1/inquiries', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, env);
}

export async function submitOk(stack: TestStack, email: string, type: InquiryType, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await submit(stack, { brand: 'livlog', type, email, message: `About ${type}`, locale: 'en', ...extra });
  expect(res.status).toBe(202);
  const body = (await res.json()) as { reference: string; status: string };
  expect(body.status).toBe('unverified');
  return body.reference;
}

/** Waits for the n-th mail to `to` whose subject contains `subject`. */
export async function mailWith(to: string, subject: string, n = 1): Promise<InboxMail> {
  for (let i = 0; i < 50; i++) {
    const hits = (await waitForMails(to, 1)).filter((m) => m.subject.includes(subject));
    if (hits.length >= n) return hits[n - 1] as InboxMail;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail "${subject}" to ${to}`);
}

export const pathOf = (url: string) => url.replace(BASE, '');

/** The newest mail to `to` whose subject contains `subject` (mail is sent before the API answers). */
export async function latestMailWith(to: string, subject: string): Promise<InboxMail> {
  await mailWith(to, subject);
  const hits = (await waitForMails(to, 1)).filter((m) => m.subject.includes(subject));
  return hits[hits.length - 1] as InboxMail;
}

/** Follows the newest verification mail: GET shows the button, POST verifies. */
export async function verifyFromMail(stack: TestStack, email: string): Promise<string> {
  const mail = await latestMailWith(email, 'confirm the address');
  // The stack's own base: a console test serves it on a port of its own.
  const base = stack.deps.config.publicBaseUrl;
  const link = linkIn(mail, `${base}/inquiries/verify/`);
  expect(link).toBeTruthy();
  const path = (link as string).replace(base, '');
  const page = await stack.app.request(path);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<form method="post"');
  const res = await stack.app.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  expect(res.status).toBe(200);
  return res.text();
}

export async function admin(stack: TestStack, method: string, path: string, body?: unknown) {
  return stack.app.request(path, {
    method,
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

export async function adminJson<T = Record<string, unknown>>(stack: TestStack, method: string, path: string, body?: unknown, status = 200): Promise<T> {
  const res = await admin(stack, method, path, body);
  const json = (await res.json()) as T;
  expect(res.status, JSON.stringify(json)).toBe(status);
  return json;
}

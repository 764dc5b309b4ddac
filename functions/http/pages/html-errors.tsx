import type { MiddlewareHandler } from 'hono';
import { own } from '../../core/own';
import type { AppEnv } from '../env';
import { answerFor, type ErrorAnswer, internalAnswer } from '../errors';
import { pickLocale } from './locale';
import { MessagePage, pageTexts } from './subscription-pages';

/** A browser's form submission (not JSON, and asking for HTML), as opposed to a `fetch` client. */
export const wantsPage = (c: Parameters<MiddlewareHandler<AppEnv>>[0]) =>
  !/^application\/(?:[\w.+-]+\+)?json/i.test(c.req.header('content-type') ?? '') && (c.req.header('accept') ?? '').includes('text/html');

/**
 * Routes a person opens in a browser answer errors with a page, not JSON: the same status and
 * `Retry-After` as the contract's JSON error, and the same words. `when` narrows it to requests
 * from a browser on routes that also serve JSON clients.
 */
export function htmlErrorPages(when: (c: Parameters<MiddlewareHandler<AppEnv>>[0]) => boolean = () => true): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (!c.error || !when(c)) return;
    const known = answerFor(c.error) ?? internalAnswer;
    const locale = pickLocale(undefined, c.req.query('lang'), c.req.header('accept-language'));
    const lines = [messageOf(known, locale)];
    const details = known.details;
    if (Array.isArray(details)) for (const d of details as { path: string; message: string }[]) lines.push(`${d.path}: ${d.message}`);
    if (known.status >= 500 && known.code === 'internal') lines.push(`(${c.get('requestId')})`);
    c.res = undefined;
    c.res = await c.html(<MessagePage locale={locale} title={pageTexts(locale).errorTitle} lines={lines} tone="error" />, known.status, known.headers ?? {});
  };
}

const MESSAGES: Record<string, { ja: string; en: string }> = {
  'invalid-token': {
    ja: 'このリンクは無効です。メールのリンクをそのまま開いてください。',
    en: 'This link is not valid. Open the link from the email exactly as it is.',
  },
  'invalid-request': { ja: '入力内容に誤りがあります。', en: 'Some fields are missing or not valid.' },
  'payload-too-large': { ja: '送信された内容が大きすぎます。', en: 'What was sent is too large.' },
  'unsupported-media-type': { ja: 'この形式の送信は受け付けていません。', en: 'This kind of submission is not accepted.' },
  'not-found': { ja: 'ページが見つかりません。', en: 'There is nothing here.' },
  'rate-limited': {
    ja: '短い間に多くの送信がありました。しばらくしてからもう一度お試しください。',
    en: 'Too many requests from your network in a short time. Please try again later.',
  },
  unavailable: {
    ja: '一時的に処理できません。何も変更していません。しばらくしてからもう一度お試しください。',
    en: 'The service is briefly unavailable; nothing was changed. Please try again.',
  },
};

function messageOf(err: ErrorAnswer, locale: 'ja' | 'en'): string {
  return own(MESSAGES, err.code)?.[locale] ?? (locale === 'ja' ? '問題が発生しました。' : 'Something went wrong on our side.');
}

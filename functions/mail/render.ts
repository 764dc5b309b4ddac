import { MailError } from '../core/errors';
import { flattenForHeader } from '../core/mail-header';
import { own } from '../core/own';

/**
 * Mail templates are files (one per message, both locales inside: `templates/*.ts`) with
 * `{{name}}` placeholders. Rendering escapes every value for HTML, removes line breaks from
 * the subject, and fails on a placeholder without a value instead of mailing a hole.
 */
export interface MailTemplate {
  subject: string;
  text: string;
  html: string;
}

export type LocalizedTemplate = Record<'ja' | 'en', MailTemplate>;

/** A part of a mail both in text and in HTML, placed into a body by a placeholder (the marketing footer). */
export interface MailFragment {
  text: string;
  html: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

// A leading underscore counts too, so that `{{__proto__}}` is a value that is missing rather than
// text that is mailed as it stands.
const PLACEHOLDER = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g;

/** The names of the placeholders a text holds, each once. */
export const placeholdersIn = (s: string): string[] => [...new Set([...s.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export class MissingTemplateValueError extends MailError {
  constructor(name: string) {
    super(`template value "${name}" is missing`);
  }
}

/** `raw` values are put in as they are (already made for the part), before any of `values`. */
function fill(template: string, values: Record<string, string>, encode: (s: string) => string, raw: Record<string, string> = {}): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const r = own(raw, name);
    if (r !== undefined) return r;
    const v = own(values, name);
    if (v === undefined) throw new MissingTemplateValueError(name);
    return encode(v);
  });
}

/**
 * `fragments` fill placeholders of the text and the HTML with their own version (a footer's text
 * in the text, its HTML in the HTML), never the subject, and before any of `values`.
 */
export function renderMail(template: MailTemplate, values: Record<string, string>, fragments: Record<string, MailFragment> = {}): RenderedMail {
  const part = (k: keyof MailFragment) => Object.fromEntries(Object.entries(fragments).map(([name, f]) => [name, f[k]]));
  return {
    // The subject's own text too: a template stored before a character was refused still sends.
    subject: flattenForHeader(fill(template.subject, values, flattenForHeader)),
    text: fill(template.text, values, (s) => s, part('text')),
    html: wrapHtml(fill(template.html, values, escapeHtml, part('html'))),
  };
}

/** A fragment's text and HTML filled with `values` (escaped in the HTML), without the HTML frame. */
export function renderFragment(fragment: MailFragment, values: Record<string, string>): MailFragment {
  return { text: fill(fragment.text, values, (s) => s), html: fill(fragment.html, values, escapeHtml) };
}

/** A minimal, client-safe HTML frame: no external resources, readable without styles. */
function wrapHtml(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head><body style="font-family:sans-serif;line-height:1.6;color:#1a1a1a;max-width:36rem">${body}</body></html>`;
}

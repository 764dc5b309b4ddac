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

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export class MissingTemplateValueError extends MailError {
  constructor(name: string) {
    super(`template value "${name}" is missing`);
  }
}

function fill(template: string, values: Record<string, string>, encode: (s: string) => string): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const v = own(values, name);
    if (v === undefined) throw new MissingTemplateValueError(name);
    return encode(v);
  });
}

export function renderMail(template: MailTemplate, values: Record<string, string>): RenderedMail {
  return {
    // The subject's own text too: a template stored before a character was refused still sends.
    subject: flattenForHeader(fill(template.subject, values, flattenForHeader)),
    text: fill(template.text, values, (s) => s),
    html: wrapHtml(fill(template.html, values, escapeHtml)),
  };
}

/** A minimal, client-safe HTML frame: no external resources, readable without styles. */
function wrapHtml(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head><body style="font-family:sans-serif;line-height:1.6;color:#1a1a1a;max-width:36rem">${body}</body></html>`;
}

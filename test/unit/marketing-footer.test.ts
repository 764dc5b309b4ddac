import { describe, expect, it } from 'vitest';
import { loadBrands } from '../../functions/config';
import type { Brand } from '../../functions/core/brands';
import { marketingFooter, placeFooter, templateFooterProblems } from '../../functions/mail/footer';
import { renderMail } from '../../functions/mail/render';
import { recipientLocale } from '../../functions/use-cases/recipient-mail';

const base = loadBrands().get('cotogoto') as Brand;
const brand: Brand = {
  ...base,
  sender: {
    legalName: { ja: base.sender.legalName.ja, en: 'Cotogoto & <Sons>' },
    postalAddress: { ja: 'x', en: '1 "Main" St, Japan' },
    contact: 'https://cotogoto.ai/contact?a=1&b=2',
  },
};
const url = 'https://prefs.example/u/abc.def';

/** Renders content the way the send pipeline does for a marketing mail. */
const render = (text: string, html: string) => {
  const footer = marketingFooter(brand, 'en', url);
  return { footer, mail: renderMail({ subject: 's', ...placeFooter({ text, html }) }, {}, { footer }) };
};
const count = (s: string, part: string) => s.split(part).length - 1;

describe('the marketing footer', () => {
  it('escapes the brand values in its HTML and keeps them as they are in its text', () => {
    const f = marketingFooter(brand, 'en', url);
    expect(f.text).toContain('Cotogoto & <Sons>');
    expect(f.text).toContain('1 "Main" St, Japan');
    expect(f.text).toContain('https://cotogoto.ai/contact?a=1&b=2');
    expect(f.text).toContain(url);
    expect(f.html).toContain('Cotogoto &#38; &#60;Sons&#62;');
    expect(f.html).toContain('1 &#34;Main&#34; St, Japan');
    expect(f.html).toContain('href="https://cotogoto.ai/contact?a=1&#38;b=2"');
    expect(f.html).toContain(`href="${url}"`);
    expect(f.html).not.toContain('<Sons>');
  });

  it('is appended after a blank line to text and before </body> of HTML when the content does not place it', () => {
    const { footer, mail } = render('Hello\n', '<html><BODY><p>Hello</p></BODY></html>');
    expect(mail.text).toBe(`Hello\n\n${footer.text}\n`);
    expect(mail.html).toContain(`<p>Hello</p>${footer.html}\n</BODY></html>`);
  });

  it('is appended at the end of HTML without a body element', () => {
    const { footer, mail } = render('Hello', '<p>Hello</p>');
    expect(mail.html).toContain(`<p>Hello</p>\n${footer.html}`);
  });

  it('goes where the content says {{footer}}, once, in text and HTML', () => {
    const { footer, mail } = render('A\n{{ footer }}\nB', '<p>A</p>{{footer}}<p>B</p>');
    expect(mail.text).toBe(`A\n${footer.text}\nB`);
    expect(mail.html).toContain(`<p>A</p>${footer.html}<p>B</p>`);
    expect(count(mail.text, url)).toBe(1);
  });

  it('placed only inside an HTML comment is appended as well, so that it shows', () => {
    const { footer, mail } = render('A {{footer}}', '<p>A</p><!-- {{footer}} -->');
    expect(mail.html).toContain(`<!-- ${footer.html} -->\n${footer.html}`);
  });

  it('placed after an unterminated <!-- (which hides the rest of the page in a browser) is appended after the comment is closed', () => {
    // What a browser shows: a comment without its end runs to the end of the document.
    const shown = (html: string) => html.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
    for (const html of ['<p>hi</p><!-- {{footer}}', '<html><body><p>hi</p><!-- {{footer}}</body></html>']) {
      const { footer, mail } = render('hi {{footer}}', html);
      expect(shown(mail.html ?? ''), html).toContain(footer.html);
    }
  });

  it('is in the recipient language the brand has, else in the brand default', () => {
    expect(recipientLocale(brand, 'en')).toBe('en');
    expect(recipientLocale(brand, 'ja')).toBe('ja');
    expect(recipientLocale(brand, 'fr')).toBe('ja');
    expect(recipientLocale(brand, undefined)).toBe('ja');
    expect(recipientLocale({ ...brand, locales: ['ja'] }, 'en')).toBe('ja');
    expect(recipientLocale(brand, 'constructor')).toBe('ja');
  });
});

describe('what an SES template for marketing must place', () => {
  it('accepts {{footer}} or {{{footer}}} in text and {{{footerHtml}}} in HTML, and a template without HTML', () => {
    expect(templateFooterProblems({ text: 'a {{footer}}', html: '<p>{{{ footerHtml }}}</p>' })).toEqual([]);
    expect(templateFooterProblems({ text: 'a {{{footer}}}' })).toEqual([]);
  });

  it('names each part that lacks it', () => {
    const both = templateFooterProblems({ text: 'a', html: '<p>{{footerHtml}}</p>' });
    expect(both.map((p) => p.path)).toEqual(['template.name', 'template.name']);
    expect(both[0]?.message).toContain('{{footer}}');
    expect(both[1]?.message).toContain('{{{footerHtml}}}');
    expect(templateFooterProblems({ html: '{{{footerHtml}}}' })[0]?.message).toContain('{{footer}}');
    expect(templateFooterProblems({ text: '<!-- {{footer}} -->', html: '{{!-- {{{footerHtml}}} --}}' })).toHaveLength(2);
  });

  it('does not count a footer after an unterminated <!-- as placed (a browser hides everything after it)', () => {
    const problems = templateFooterProblems({ text: 'a {{footer}}', html: '<p>hi</p><!-- {{{footerHtml}}}' });
    expect(problems.map((p) => p.message)).toEqual(["the template's HTML part must contain {{{footerHtml}}} (the marketing footer, not escaped)"]);
  });
});

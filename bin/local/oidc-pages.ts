/**
 * The pages of the local OpenID provider (bin/local/oidc-provider.ts): sign-in, sign-out and
 * error. Each is a whole document with a language, a title, a main landmark and labelled fields,
 * no script and no style from elsewhere (the machine may have no network), so that axe finds
 * nothing and a keyboard reaches everything. English only: it stands in for Cognito's managed
 * login, which has its own languages.
 */
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** No script, no framing, nothing from elsewhere; forms may go to this provider and to the console's callback. */
export const pageCsp = (formTargets: string[]) =>
  `default-src 'none'; style-src 'self'; form-action 'self' ${formTargets.join(' ')}; frame-ancestors 'none'; base-uri 'none'`;

/** Served at `STYLESHEET_PATH`, so that no page needs inline style. */
export const STYLESHEET_PATH = '/local-sign-in.css';
export const CSS =
  'body{font-family:system-ui,sans-serif;margin:0;background:#f7f7f5;color:#1b1b1b;line-height:1.6}main{max-width:26rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #c9c9c4;border-radius:.5rem}label{display:block;font-weight:600;margin-top:1rem}input{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #6b6b6b;border-radius:.25rem}button{font:inherit;margin-top:1.25rem;padding:.6rem 1.1rem;border:2px solid #1f3a5f;background:#1f3a5f;color:#fff;border-radius:.35rem;cursor:pointer}button.secondary{background:#fff;color:#1f3a5f;margin-left:.5rem}.error{border-left:4px solid #8b1a1a;background:#fbeaea;padding:.5rem .75rem}:focus-visible{outline:3px solid #c25e00;outline-offset:2px}';

function documentOf(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} | Local sign-in</title><link rel="stylesheet" href="${STYLESHEET_PATH}"></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

/** The sign-in form of an interaction; after a failed attempt, the message beside the fields and the username kept. */
export function loginPage(action: string, opts: { username?: string; failed?: boolean; clientId?: string } = {}): string {
  const error = opts.failed ? '<p class="error" id="login-error" role="alert">The username or password is not right. Try again.</p>' : '';
  const described = opts.failed ? ' aria-describedby="login-error" aria-invalid="true"' : '';
  return documentOf(
    'Sign in to the console',
    `<p>Local OpenID provider of the privacy backend${opts.clientId ? ` (client <code>${escapeHtml(opts.clientId)}</code>)` : ''}. Accounts: <code>officer</code>, <code>marketer</code>; the password is printed by <code>npm start</code>.</p>
${error}<form method="post" action="${escapeHtml(action)}" novalidate>
<label for="username">Username</label><input id="username" name="username" autocomplete="username" autocapitalize="none" required value="${escapeHtml(opts.username ?? '')}"${described}>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required${described}>
<button type="submit">Sign in</button></form>`,
  );
}

/** RP-initiated logout asks before ending the provider's session (`form` is the provider's hidden form). */
export const logoutPage = (form: string) =>
  documentOf(
    'Sign out',
    `<p>Sign out of the local provider too?</p>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign out</button><button class="secondary" type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );

export const loggedOutPage = () => documentOf('Signed out', '<p>You are signed out of the local provider.</p>');

export const errorPage = (error: string, description: string | undefined) =>
  documentOf('Sign-in error', `<p class="error" role="alert">${escapeHtml(error)}${description ? `: ${escapeHtml(description)}` : ''}</p>`);

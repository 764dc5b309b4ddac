/**
 * Signing in to the console over HTTP as a browser does, with `fetch` and a cookie jar: the
 * console's redirect to the provider, the provider's login form, its redirects back to the
 * callback, the console's start page. Cookies are kept per host, not per port, as browsers do, so
 * the provider's cookies on 127.0.0.1 travel to the console too (the reason its cookie has a name
 * of its own).
 */
export class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  /** Takes the response's Set-Cookie headers in. */
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const path = attrs.map((a) => /^\s*path=(.*)$/i.exec(a)?.[1]?.trim()).find(Boolean) ?? '/';
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || attrs.some((a) => /^\s*expires=thu, 01 jan 1970/i.test(a));
      const key = `${name}\n${path}`;
      if (gone || value === '') this.cookies.delete(key);
      else this.cookies.set(key, { value, path });
    }
  }

  /** The Cookie header for a URL's path. */
  header(url: string): string {
    const path = new URL(url).pathname;
    return [...this.cookies.entries()]
      .filter(([, c]) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([key, c]) => `${key.split('\n')[0]}=${c.value}`)
      .join('; ');
  }

  get(name: string): string | undefined {
    for (const [key, c] of this.cookies) if (key.split('\n')[0] === name) return c.value;
    return undefined;
  }

  set(name: string, value: string, path = '/console') {
    for (const key of [...this.cookies.keys()]) if (key.split('\n')[0] === name) this.cookies.delete(key);
    this.cookies.set(`${name}\n${path}`, { value, path });
  }

  /** Every cookie, as a browser context takes them (`addCookies`, with the origin's url). */
  all(): { name: string; value: string; path: string }[] {
    return [...this.cookies.entries()].map(([key, c]) => ({ name: key.split('\n')[0] as string, value: c.value, path: c.path }));
  }

  copy(): CookieJar {
    const jar = new CookieJar();
    for (const [k, v] of this.cookies) jar.cookies.set(k, { ...v });
    return jar;
  }
}

/** One request with the jar's cookies, redirects not followed. */
export async function request(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set('cookie', cookie);
  if (!headers.has('accept')) headers.set('accept', 'text/html');
  const res = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.take(res);
  return res;
}

/** Follows redirects (GET) from a response until one that is not a redirect; returns it and the URLs passed. */
export async function follow(
  jar: CookieJar,
  res: Response,
  from: string,
  stopAt?: (url: string) => boolean,
): Promise<{ res: Response; url: string; passed: string[] }> {
  let url = from;
  const passed: string[] = [];
  while (res.status >= 300 && res.status < 400) {
    url = new URL(res.headers.get('location') ?? '', url).toString();
    passed.push(url);
    await res.arrayBuffer();
    if (stopAt?.(url)) break;
    res = await request(jar, url);
  }
  return { res, url, passed };
}

/** The action of the first form of a page, absolute. */
export const formAction = (html: string, base: string) => new URL((/<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? '').replace(/&amp;/g, '&'), base).toString();
/** The CSRF token of a console page's forms. */
export const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1];

export interface SignedIn {
  jar: CookieJar;
  csrf: string;
  /** The console's start page, as the operator first sees it. */
  html: string;
}

/**
 * Signs in at the console of `baseUrl` through the provider's form. With `until: 'callback'` it
 * stops at the provider's redirect to the callback and answers that URL instead (tests that
 * replay or tamper with it).
 */
export async function signIn(baseUrl: string, username: string, password: string, jar = new CookieJar()): Promise<SignedIn> {
  const callback = await signInUntilCallback(baseUrl, username, password, jar);
  const back = await follow(jar, await request(jar, callback), callback);
  if (back.res.status !== 200) throw new Error(`sign-in ended with ${back.res.status} at ${back.url}`);
  const html = await back.res.text();
  const csrf = csrfOf(html);
  if (!csrf) throw new Error('the console page carries no CSRF token');
  return { jar, csrf, html };
}

/** Signs in at the provider and answers the callback URL it redirects to, without following it. */
export async function signInUntilCallback(
  baseUrl: string,
  username: string,
  password: string,
  jar = new CookieJar(),
  start = `${baseUrl}/console`,
): Promise<string> {
  const isCallback = (u: string) => u.startsWith(`${baseUrl}/console/callback`);
  const toForm = await follow(jar, await request(jar, start), start, isCallback);
  if (isCallback(toForm.url)) return toForm.url;
  if (toForm.res.status !== 200) throw new Error(`the provider's login form answered ${toForm.res.status}`);
  const action = formAction(await toForm.res.text(), toForm.url);
  const posted = await request(jar, action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  if (posted.status !== 303 && posted.status !== 302) throw new Error(`the provider refused the sign-in (${posted.status})`);
  const done = await follow(jar, posted, action, isCallback);
  if (!isCallback(done.url)) throw new Error(`the provider did not send the browser back (${done.res.status} at ${done.url})`);
  return done.url;
}

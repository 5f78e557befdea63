// A person at a browser, over plain HTTP: keeps cookies, follows redirects by hand and fills in the
// real login and consent forms (with the CSRF token the page gives). No internals are touched.
import assert from 'node:assert/strict';

export class Person {
  jar = new Map<string, string>();
  readonly base: string;

  constructor(base: string) {
    this.base = base;
  }

  #cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  #store(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(new URL(url, this.base), {
      ...init,
      redirect: 'manual',
      headers: { cookie: this.#cookieHeader(), accept: 'text/html', ...(init.headers as Record<string, string>) },
    });
    this.#store(res);
    return res;
  }

  /** GETs url and follows redirects on this server; stops at the first response that is not a redirect
   *  or at a redirect that leaves the server (returned as its Location). */
  async follow(url: string | URL, init: RequestInit = {}): Promise<{ res: Response; url: string; body: string; external?: string }> {
    let res = await this.request(url, init);
    let current = new URL(url, this.base).toString();
    for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
      const next = new URL(res.headers.get('location')!, current);
      if (next.origin !== new URL(this.base).origin) return { res, url: current, body: '', external: next.toString() };
      current = next.toString();
      res = await this.request(current);
    }
    return { res, url: current, body: await res.text() };
  }

  /** Posts a form; a list is sent as the same field repeated (ticked checkboxes). */
  async submit(action: string, fields: Record<string, string | string[]>) {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    return this.follow(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }

  static csrf(body: string): string {
    const m = body.match(/name="csrf" value="([^"]+)"/);
    assert.ok(m, 'page has a CSRF token');
    return m[1]!;
  }

  static action(body: string, pathEnd: string): string {
    const m = body.match(new RegExp(`action="([^"]*${pathEnd})"`));
    assert.ok(m, `page has a form posting to …${pathEnd}`);
    return m[1]!;
  }

  /** From an authorization URL to the redirect back to the client: log in, then allow. */
  async logInAndConsent(authUrl: string | URL, pid: string, password: string): Promise<string> {
    let page = await this.follow(authUrl);
    assert.equal(page.res.status, 200, `login page: ${page.body.slice(0, 300)}`);
    page = await this.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid, password });
    if (page.external) return page.external;
    assert.equal(page.res.status, 200, `consent page: ${page.body.slice(0, 300)}`);
    page = await this.submit(Person.action(page.body, '/confirm'), { csrf: Person.csrf(page.body) });
    assert.ok(page.external, `redirected back to the client, got ${page.res.status} ${page.body.slice(0, 300)}`);
    return page.external;
  }
}

import { expect, fixture, html } from '@open-wc/testing';
import { ApiClient, ApiClientError } from '../../src/api/client.js';
import '../../src/define/index.js';
import { text, waitFor } from './support/dom.js';
import { FakeBackend, PARENT } from './support/fake-backend.js';

type Answer = (url: string, init: RequestInit) => Response | Promise<Response>;

let original: typeof fetch;
const seen: Array<{ url: string; init: RequestInit }> = [];

function answer(with_: Answer): void {
  window.fetch = async (input, init = {}) => {
    seen.push({ url: String(input), init });
    return with_(String(input), init);
  };
}

async function failure(call: Promise<unknown>): Promise<ApiClientError> {
  try {
    await call;
  } catch (error) {
    expect(error).to.be.instanceOf(ApiClientError);
    return error as ApiClientError;
  }
  throw new Error('expected the call to fail');
}

describe('ApiClient', () => {
  beforeEach(() => {
    original = window.fetch;
    seen.length = 0;
  });
  afterEach(() => {
    window.fetch = original;
  });

  it('sends cookies, and the CSRF header only on state changes', async () => {
    answer(() => Response.json({ children: [] }));
    const api = new ApiClient('https://portal.example.kz/api/');
    await api.children();
    await api.linkChild('201205500031').catch(() => undefined);
    const [get, post] = seen;
    expect(get!.url).to.equal('https://portal.example.kz/api/children');
    expect(get!.init.credentials).to.equal('include');
    expect(new Headers(get!.init.headers).has('X-Qoltanba')).to.equal(false);
    expect(post!.init.method).to.equal('POST');
    expect(new Headers(post!.init.headers).get('X-Qoltanba')).to.equal('1');
    expect(post!.init.body).to.equal('{"iin":"201205500031"}');
  });

  it('turns an error body into its code and status', async () => {
    answer(() =>
      Response.json({ code: 'CHILD_NOT_FOUND', message: 'x' }, { status: 404 }),
    );
    const error = await failure(new ApiClient('/api').linkChild('1'));
    expect(error.code).to.equal('CHILD_NOT_FOUND');
    expect(error.status).to.equal(404);
  });

  it('says NETWORK when no answer came', async () => {
    answer(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await failure(new ApiClient('/api').me());
    expect([error.code, error.status]).to.deep.equal(['NETWORK', 0]);
  });

  it('says UNEXPECTED for a proxy error page or a 5xx', async () => {
    answer(
      () =>
        new Response('<h1>502 Bad Gateway</h1>', {
          status: 502,
          headers: { 'Content-Type': 'text/html' },
        }),
    );
    const error = await failure(new ApiClient('/api').me());
    expect([error.code, error.status]).to.deep.equal(['UNEXPECTED', 502]);
  });

  it('accepts 204 from logout', async () => {
    answer(() => new Response(null, { status: 204 }));
    await new ApiClient('/api').logout();
    expect(seen[0]!.url).to.equal('/api/auth/logout');
  });

  it('shares one GET /me in flight per backend URL', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    answer(async (url) => {
      await gate;
      return url.endsWith('/auth/logout')
        ? new Response(null, { status: 204 })
        : Response.json({ user: PARENT, needsEmail: false });
    });
    const first = new ApiClient('/api').me();
    const second = new ApiClient('/api/', { language: 'ru' }).me();
    const other = new ApiClient('https://other.example.kz/api').me();
    expect(seen.map((r) => r.url)).to.deep.equal([
      '/api/me',
      'https://other.example.kz/api/me',
    ]);
    release();
    expect((await first).user).to.deep.equal(PARENT);
    expect(await second).to.equal(await first);
    await other;

    // Settled: the next question is asked again.
    await new ApiClient('/api').me();
    expect(seen).to.have.length(3);

    // A logout while a check is in flight: later callers do not join it.
    const stale = new ApiClient('/api').me();
    await new ApiClient('/api').logout();
    await Promise.all([stale, new ApiClient('/api').me()]);
    expect(seen.map((r) => r.url).slice(3)).to.deep.equal([
      '/api/me',
      '/api/auth/logout',
      '/api/me',
    ]);
  });

  it('does not let a later task join a GET /me that never answers', async () => {
    answer(() => new Promise<Response>(() => {}));
    void new ApiClient('/api').me();
    void new ApiClient('/api').me();
    expect(seen).to.have.length(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    void new ApiClient('/api').me();
    expect(seen).to.have.length(2);
  });

  it('sends one GET /me for a page of three elements', async () => {
    const backend = new FakeBackend().install();
    try {
      const page = await fixture<HTMLElement>(html`
        <div lang="en">
          <eds-login></eds-login>
          <iin-link-form></iin-link-form>
          <kinship-status></kinship-status>
        </div>
      `);
      const login = page.querySelector('eds-login')!;
      const form = page.querySelector('iin-link-form')!;
      const status = page.querySelector('kinship-status')!;
      await Promise.all([
        login.updateComplete,
        form.updateComplete,
        status.updateComplete,
      ]);
      await waitFor(login, 'form[part="key-form"]');
      expect(text(form.shadowRoot!.querySelector('section'))).to.contain(
        'Log in with your electronic signature to link a child.',
      );
      expect(backend.calls('GET /me')).to.have.length(1);
    } finally {
      backend.uninstall();
    }
  });
});

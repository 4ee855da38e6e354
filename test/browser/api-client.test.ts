import { expect } from '@open-wc/testing';
import { ApiClient, ApiClientError } from '../../src/api/client.js';

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
});

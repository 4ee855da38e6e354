/**
 * A strict Content-Security-Policy on every response: scripts, styles and
 * connections from this origin only (and NCALayer's secure WebSocket on
 * the user's own computer), no inline script or style, no eval,
 * no plugins, no framing. The demo page and the elements need nothing more
 * (Lit's styles are constructed stylesheets, which a policy does not
 * block); test/package/bundle.test.ts proves it in Chromium.
 *
 * A portal that serves the elements from a CDN or calls a backend on
 * another origin passes its own policy with those origins added.
 */
import type { FastifyInstance } from 'fastify';

export const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  // NCALayer listens on wss://127.0.0.1:13579; any loopback port, so that
  // tests can run a fake NCALayer beside a real one.
  "connect-src 'self' wss://127.0.0.1:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface CspOptions {
  /** The header's value; default STRICT_CSP. */
  policy?: string;
}

export async function contentSecurityPolicy(
  app: FastifyInstance,
  options: CspOptions,
): Promise<void> {
  const policy = options.policy ?? STRICT_CSP;
  app.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', policy);
    }
  });
}

// Like fastify-plugin: the hook applies to the whole app, not only to the
// routes registered inside this plugin.
Object.assign(contentSecurityPolicy, {
  [Symbol.for('skip-override')]: true,
});

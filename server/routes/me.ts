/**
 * The logged-in user.
 *
 *   GET /me        -> SessionResponse
 *   PUT /me/email  {email} -> SessionResponse
 */
import type { FastifyInstance } from 'fastify';
import type { SessionResponse } from '../../src/api/protocol.js';
import { stringField } from '../body.js';
import type { AppContext } from '../context.js';
import { ApiHttpError } from '../errors.js';
import { requireSession, sessionResponse } from '../session.js';

// RFC 5322 "atext" characters, in dot-separated runs.
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LOCAL_PART = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`);
// Letters of any script, so that a Cyrillic domain such as мысал.қаз passes.
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const TOP_LEVEL = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/iu;

/**
 * The address as it will be stored (trimmed, domain in lower case), or null
 * when it is not one a mail server would accept. Deliberately narrower than
 * RFC 5322: no quoted local parts, no IP literals, no comments.
 */
export function normalizeEmail(input: string): string | null {
  const email = input.trim();
  if (email.length > 254) return null;
  const at = email.lastIndexOf('@');
  if (at <= 0) return null;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1).toLowerCase();
  if (local.length > 64 || !LOCAL_PART.test(local)) return null;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l))) {
    return null;
  }
  if (!TOP_LEVEL.test(labels.at(-1)!)) return null;
  return `${local}@${domain}`;
}

export function meRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/me', async (request, reply) => {
    const { user } = await requireSession(ctx, request, reply);
    request.outcome = 'OK';
    const body: SessionResponse = sessionResponse(user);
    return body;
  });

  app.put('/me/email', async (request, reply) => {
    const { user } = await requireSession(ctx, request, reply);
    const email = normalizeEmail(stringField(request.body, 'email', 320));
    if (email === null) {
      throw new ApiHttpError('EMAIL_INVALID', 'That is not an email address.');
    }
    const updated = await ctx.store.setUserEmail(user.iin, email);
    if (!updated) {
      throw new ApiHttpError('NOT_AUTHENTICATED', 'Log in first.');
    }
    request.outcome = 'EMAIL_SAVED';
    const body: SessionResponse = sessionResponse(updated);
    return body;
  });
}

/**
 * Linking a child's queue application to the parent's account.
 *
 *   GET  /children  -> ChildrenResponse
 *   POST /children  {iin} -> LinkChildResponse
 *
 * Both name the kindergartens in the request's language (server/
 * language.ts: `?lang=`, else Accept-Language, else Kazakh).
 */
import type { FastifyInstance } from 'fastify';
import type {
  Child,
  ChildrenResponse,
  LinkChildResponse,
} from '../../src/api/protocol.js';
import { ageInYears, checkIin } from '../../src/core/iin.js';
import { stringField } from '../body.js';
import type { AppContext } from '../context.js';
import { ApiHttpError } from '../errors.js';
import { type Language, markLanguage, requestLanguage } from '../language.js';
import { requireSession } from '../session.js';
import type { ChildRecord } from '../store/store.js';

/** The kindergarten queue serves children under this age. */
const MAX_AGE_YEARS = 7;

function toChild(record: ChildRecord, language: Language): Child {
  return {
    iin: record.iin,
    fullName: record.fullName,
    birthDate: record.birthDate,
    applications: record.applications.map((a) => ({
      ...a,
      kindergartens: a.kindergartens.map((k) => k[language]),
    })),
  };
}

/** The registry's answer; its outage is a 503 the page can explain. */
async function askRegistry(
  ctx: AppContext,
  parentIin: string,
  childIin: string,
): Promise<boolean> {
  try {
    return await ctx.registry.isParentOf(parentIin, childIin);
  } catch {
    throw new ApiHttpError(
      'REGISTRY_UNAVAILABLE',
      'The population registry cannot be reached; try again later.',
    );
  }
}

export function childrenRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/children', async (request, reply) => {
    const { user } = await requireSession(ctx, request, reply);
    const language = requestLanguage(request);
    const children = await ctx.store.listChildrenOf(user.iin);
    request.outcome = 'OK';
    markLanguage(reply, language);
    const body: ChildrenResponse = {
      children: children.map((child) => toChild(child, language)),
    };
    return body;
  });

  app.post('/children', async (request, reply) => {
    const { user } = await requireSession(ctx, request, reply);
    // Before anything changes: a bad lang must not link and then fail.
    const language = requestLanguage(request);
    if (user.email === null) {
      throw new ApiHttpError(
        'EMAIL_REQUIRED',
        'Give an email address before linking a child.',
      );
    }
    // A child's IIN always passes the full check: demo and test modes relax
    // it only for NCA's test persons, who are adults logging in.
    const check = checkIin(stringField(request.body, 'iin', 64));
    if (!check.valid) {
      throw new ApiHttpError(
        'IIN_INVALID',
        `Not a valid IIN (${check.problem}).`,
      );
    }
    const { iin, birthDate } = check.facts;
    if (iin === user.iin) {
      throw new ApiHttpError('IIN_OWN', 'That is your own IIN.');
    }
    if (ageInYears(birthDate, ctx.now()) >= MAX_AGE_YEARS) {
      throw new ApiHttpError(
        'CHILD_TOO_OLD',
        `The queue is for children under ${MAX_AGE_YEARS}.`,
      );
    }

    const link = await ctx.store.findLink(iin);
    if (link?.parentIin === user.iin) {
      throw new ApiHttpError('ALREADY_LINKED', 'The child is linked already.');
    }
    // Kinship comes before anything that tells whether the child has an
    // application or another parent's link, so that a stranger typing IINs
    // learns nothing about other people's children.
    if (!(await askRegistry(ctx, user.iin, iin))) {
      throw new ApiHttpError(
        'KINSHIP_NOT_CONFIRMED',
        'The population registry does not record you as the parent.',
      );
    }
    const child = await ctx.store.findChild(iin);
    if (!child || child.applications.length === 0) {
      throw new ApiHttpError(
        'CHILD_NOT_FOUND',
        'No kindergarten queue application for this child.',
      );
    }
    if (link) {
      throw new ApiHttpError(
        'LINKED_TO_OTHER',
        "The child's application is linked to another parent.",
      );
    }
    if (!(await ctx.store.createLink(user.iin, iin, ctx.now()))) {
      // Another request linked the child between the check and here.
      const winner = await ctx.store.findLink(iin);
      throw winner?.parentIin === user.iin
        ? new ApiHttpError('ALREADY_LINKED', 'The child is linked already.')
        : new ApiHttpError(
            'LINKED_TO_OTHER',
            "The child's application is linked to another parent.",
          );
    }
    request.outcome = 'KINSHIP_CONFIRMED';
    markLanguage(reply, language);
    const body: LinkChildResponse = {
      code: 'KINSHIP_CONFIRMED',
      child: toChild(child, language),
    };
    return body;
  });
}

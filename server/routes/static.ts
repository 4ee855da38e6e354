/**
 * Files: the demo portal page at `/` and the built elements at `/qoltanba/`.
 * The bundle is served from dist/ as it is on disk, so `npm run build` while
 * the server runs takes effect without a restart (and a missing dist/ only
 * costs a warning at start; the page says how to build it).
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export interface StaticRoots {
  /** The demo page: index.html, demo.css, demo.js. */
  demoDir: string;
  /** The rollup output: qoltanba.js and chunks/. */
  distDir: string;
}

export async function staticRoutes(
  app: FastifyInstance,
  roots: StaticRoots,
): Promise<void> {
  await app.register(fastifyStatic, {
    root: roots.demoDir,
    prefix: '/',
    index: ['index.html'],
    // The page is a demo that changes with the code; never serve it stale.
    cacheControl: false,
    setHeaders: (reply) => reply.header('cache-control', 'no-cache'),
  });
  await app.register(fastifyStatic, {
    root: roots.distDir,
    prefix: '/qoltanba/',
    decorateReply: false,
    // Checked per request rather than at start, so a later build is found.
    wildcard: true,
    cacheControl: false,
    setHeaders: (reply) => reply.header('cache-control', 'no-cache'),
  });
}

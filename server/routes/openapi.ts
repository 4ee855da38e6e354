/**
 * The protocol's description, served beside it so that a portal team can
 * point their tools at a running backend:
 *
 *   GET /openapi.yaml  -> docs/openapi.yaml, as kept in the repository
 */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

const OPENAPI_FILE = new URL('../../docs/openapi.yaml', import.meta.url);

export function openapiRoutes(app: FastifyInstance): void {
  app.get('/openapi.yaml', async (request, reply) => {
    // Read per request: the file is small, and an edited file shows at once.
    const text = await readFile(OPENAPI_FILE, 'utf8');
    request.outcome = 'OK';
    return reply.type('application/yaml; charset=utf-8').send(text);
  });
}

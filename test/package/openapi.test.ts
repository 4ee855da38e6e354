// docs/openapi.yaml against the code it describes: every route of the
// reference server's API and every error code, with its status, appear in
// it. A text check (no YAML parser in the tree), enough to catch a route or
// code added to the server and forgotten in the document.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { statusOf } from '../../server/errors.js';

const openapi = readFileSync('docs/openapi.yaml', 'utf8');

/** The YAML block under `  <name>:` down to the next line as indented. */
function block(name: string, indent: number): string {
  const lines = openapi.split('\n');
  const pad = ' '.repeat(indent);
  const start = lines.findIndex((l) => l === `${pad}${name}:`);
  assert.ok(start >= 0, `openapi.yaml has ${name}`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex(
    (l) => l.trim() !== '' && l.length - l.trimStart().length <= indent,
  );
  return rest.slice(0, end < 0 ? undefined : end).join('\n');
}

function serverCodes(): string[] {
  const source = readFileSync('server/errors.ts', 'utf8');
  const table = source.slice(source.indexOf('const STATUS'));
  return [...table.matchAll(/^\s+([A-Z_]+): \d{3},$/gm)].map((m) => m[1]!);
}

/**
 * `method path` of each route, with Fastify's `:param` written as
 * OpenAPI's `{param}`; a route may give its types first (`app.get<…>(`).
 */
function serverRoutes(): string[] {
  const routes: string[] = [];
  const call = /app\.(get|post|put)(?:<[^>]*>)?\(\s*'([^']+)'/g;
  for (const file of ['auth', 'me', 'children', 'egov']) {
    const source = readFileSync(`server/routes/${file}.ts`, 'utf8');
    for (const m of source.matchAll(call)) {
      routes.push(`${m[1]} ${m[2]!.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes;
}

describe('docs/openapi.yaml', () => {
  it('describes every API route of the reference server', () => {
    const routes = serverRoutes();
    assert.ok(routes.length >= 12, routes.join(', '));
    for (const route of routes) {
      const [method, path] = route.split(' ');
      assert.match(block(path!, 2), new RegExp(`^    ${method}:`, 'm'), route);
    }
  });

  it('lists every error code under the status the server gives it', () => {
    const codes = serverCodes();
    assert.ok(codes.length > 30);
    const listed = block('ApiErrorCode', 4);
    const responses = block('responses', 2);
    for (const code of codes) {
      assert.match(listed, new RegExp(`- ${code}$`, 'm'), code);
      const status = statusOf(code as Parameters<typeof statusOf>[0]);
      const named = new RegExp(`(?<![A-Z_])${code}(?![A-Z_])`);
      const group = responses.split(/\n    (?=\w)/).find((g) => named.test(g));
      assert.ok(group, `${code} is listed under a response`);
      const name = group.split(':')[0]!.trim();
      const use = `'(\\d{3})': \\{ \\$ref: '#/components/responses/${name}'`;
      const uses = [...openapi.matchAll(new RegExp(use, 'g'))].map((m) =>
        Number(m[1]),
      );
      assert.ok(uses.length > 0, `${name} is used`);
      assert.ok(uses.every((s) => s === status), `${code} is ${status}`);
    }
  });
});

import spectralCore, { type RulesetDefinition } from '@stoplight/spectral-core';
import Parsers from '@stoplight/spectral-parsers';
import rulesets from '@stoplight/spectral-rulesets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Document, operationsOf } from '../support/openapi';
import { createTestStack, type TestStack } from '../support/stack';

/**
 * The served document, linted with Spectral's `spectral:oas` ruleset (its recommended rules, as
 * `spectral lint` runs them), and held to what the server sends that a linter cannot know.
 */
let stack: TestStack;
let doc: Document;
let text: string;

beforeAll(async () => {
  stack = await createTestStack();
  const res = await stack.app.request('/openapi.json');
  text = await res.text();
  doc = JSON.parse(text) as Document;
});
afterAll(() => stack.dispose());

/**
 * Findings accepted, as `code path`, each with the reason it is right for this API. Empty: every
 * finding, warning or error, fails the test.
 */
const ALLOWED = new Set<string>([]);

async function lint(json: string) {
  const spectral = new spectralCore.Spectral();
  // The package's typing of the ruleset lags its own definition type; the object is the ruleset.
  spectral.setRuleset({ extends: [[rulesets.oas as RulesetDefinition, 'recommended']] });
  return spectral.run(new spectralCore.Document(json, Parsers.Json, '/openapi.json'));
}

describe('the OpenAPI document', () => {
  it('passes spectral:oas with no error or warning', async () => {
    const results = await lint(text);
    const findings = results
      .filter((r) => r.severity <= 1 && !ALLOWED.has(`${r.code} ${r.path.join('.')}`))
      .map((r) => `${r.code} at ${r.path.join('.')}: ${r.message}`);
    expect(findings).toEqual([]);
  });

  it('lints something: the ruleset finds an operation without an operationId', async () => {
    const broken = structuredClone(doc) as Document & Record<string, unknown>;
    const health = broken.paths['/health']?.get;
    if (health) delete health.operationId;
    const results = await lint(JSON.stringify(broken));
    expect(results.map((r) => r.code)).toContain('operation-operationId');
  });

  it('declares every tag it uses, with a description', () => {
    const declared = new Map((doc.tags ?? []).map((t) => [t.name, t.description]));
    for (const { method, path, op } of operationsOf(doc)) {
      for (const tag of op.tags ?? []) expect(declared.get(tag), `${method} ${path} tag ${tag}`).toBeTruthy();
    }
  });

  it('declares Retry-After on every 429 and 503, and Location on every redirect', () => {
    for (const { method, path, op } of operationsOf(doc)) {
      for (const [status, r] of Object.entries(op.responses)) {
        if (status === '429' || status === '503') expect(r.headers?.['Retry-After'], `${method} ${path} ${status}`).toMatchObject({ required: true });
        if (/^30[1-8]$/.test(status)) expect(r.headers?.Location, `${method} ${path} ${status}`).toMatchObject({ required: true });
      }
    }
  });

  it('declares Content-Disposition on the downloads', () => {
    for (const [path, status] of [
      ['/exports/{token}', '200'],
      ['/admin/suppressions/export', '200'],
    ] as const) {
      expect(doc.paths[path]?.get?.responses[status]?.headers?.['Content-Disposition'], path).toMatchObject({ required: true });
    }
  });

  it('declares 401 on every privileged operation, and 413 and a required body where a body is read', () => {
    for (const { method, path, op } of operationsOf(doc)) {
      if (op.security?.length) expect(op.responses['401'], `${method} ${path}`).toBeDefined();
      if (op.requestBody) expect(op.responses['413'], `${method} ${path}`).toBeDefined();
      if (op.requestBody && op.responses['415'] && path !== '/confirm/{token}') expect(op.requestBody.required, `${method} ${path}`).toBe(true);
    }
  });

  it('declares HEAD beside GET where the contract promises that a HEAD changes nothing', () => {
    for (const path of ['/u/{token}', '/confirm/{token}', '/inquiries/verify/{token}']) {
      expect(doc.paths[path]?.head?.operationId, path).toBeTruthy();
      expect(Object.keys(doc.paths[path]?.head?.responses ?? {}).sort(), path).toEqual(Object.keys(doc.paths[path]?.get?.responses ?? {}).sort());
    }
  });

  it('describes a form that repeats a field, and the multipart inquiry a FormData fetch sends', () => {
    const form = doc.paths['/v1/subscriptions']?.post?.requestBody?.content?.['application/x-www-form-urlencoded'] as { encoding?: unknown };
    expect(form.encoding).toEqual({ topics: { style: 'form', explode: true } });
    expect(Object.keys(doc.paths['/v1/inquiries']?.post?.requestBody?.content ?? {})).toEqual([
      'application/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
    ]);
  });

  it('describes the SES events /local/ses-events takes, as its parser checks them', () => {
    const schemas = doc.components?.schemas ?? {};
    expect(doc.paths['/local/ses-events']?.post?.requestBody?.content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/EventBridgeEvents',
    });
    for (const name of ['SesBounceEvent', 'SesComplaintEvent', 'SesDeliveryEvent', 'SesRejectEvent', 'OtherEventBridgeEvent']) {
      expect(JSON.stringify(schemas.EventBridgeEvents), name).toContain(`#/components/schemas/${name}`);
    }
    expect(schemas.SesBounceEvent).toMatchObject({
      required: expect.arrayContaining(['id', 'detail-type', 'source', 'time', 'detail']),
      properties: { detail: { required: ['eventType', 'mail', 'bounce'] } },
    });
  });

  it('documents no rectification of the address, which the server refuses', () => {
    const fulfil = doc.paths['/admin/inquiries/{reference}/fulfil']?.post?.requestBody?.content?.['application/json']?.schema as {
      $ref?: string;
    };
    const schema = doc.components?.schemas?.[fulfil.$ref?.split('/').pop() ?? ''] as {
      properties: { fields: { properties: object; additionalProperties: boolean } };
    };
    expect(Object.keys(schema.properties.fields.properties)).toEqual(['name', 'locale']);
    expect(schema.properties.fields.additionalProperties).toBe(false);
  });
});

/**
 * Reading the served OpenAPI document the way a validation proxy does: the operations it lists,
 * and whether an answer of the server is one the document declares for the operation (status,
 * media type, required headers).
 */
export interface Header {
  required?: boolean;
}
export interface ResponseObject {
  description?: string;
  headers?: Record<string, Header>;
  content?: Record<string, unknown>;
}
export interface Operation {
  operationId?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema?: { enum?: unknown[] } }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses: Record<string, ResponseObject>;
}
export interface Document {
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

export interface Op {
  method: string;
  path: string;
  op: Operation;
}

export async function servedDocument(app: { request(path: string): Response | Promise<Response> }): Promise<Document> {
  return (await (await app.request('/openapi.json')).json()) as Document;
}

export const operationsOf = (doc: Document): Op[] =>
  Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));

/** What is wrong with `res` as an answer of `op` (nothing: an empty list). */
export function undeclared(op: Op, res: Response): string[] {
  const where = `${op.method} ${op.path} → ${res.status}`;
  const declared = op.op.responses[String(res.status)];
  if (!declared) return [`${where}: status not declared (declared: ${Object.keys(op.op.responses).join(', ')})`];
  const problems: string[] = [];
  const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const types = Object.keys(declared.content ?? {});
  // A HEAD answer has no body; its operation declares none, and the type of the GET is allowed.
  if (op.method !== 'HEAD' && type && types.length > 0 && !types.includes(type)) {
    problems.push(`${where}: answered ${type}, declared ${types.join(', ')}`);
  }
  for (const [name, h] of Object.entries(declared.headers ?? {})) {
    if (h.required && !res.headers.has(name)) problems.push(`${where}: header ${name} declared required, not sent`);
  }
  return problems;
}

/**
 * The operations to fuzz, read from Drop's own OpenAPI document (`GET /api/openapi.json`, generated
 * from the zod contracts): every method and path under /api/ with its path, query and header
 * parameters, its JSON body schema and the media types it declares. The simulators the test server
 * mounts are left out (they stand in for third parties), and the two webhooks, hidden from the
 * document, are added by hand: they are Drop's too and take bodies from outside.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** The template, e.g. `/api/transfers/{id}`. */
  path: string;
  parameters: Parameter[];
  body: JsonSchema | undefined;
  /** The media types the route reads (JSON unless it declares others). */
  consumes: string[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Inlines `#/components/schemas/…` references (the document has few; cycles stop at depth 12). */
function resolve(schema: JsonSchema, doc: OpenApiDocument, depth = 0): JsonSchema {
  if (depth > 12) return {};
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? '';
    return resolve(doc.components?.schemas?.[name] ?? {}, doc, depth + 1);
  }
  const out: JsonSchema = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([key, value]) => [key, resolve(value, doc, depth + 1)]));
  }
  if (schema.items) out.items = resolve(schema.items, doc, depth + 1);
  if (typeof schema.additionalProperties === 'object') out.additionalProperties = resolve(schema.additionalProperties, doc, depth + 1);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[key];
    if (list) out[key] = list.map((item) => resolve(item, doc, depth + 1));
  }
  return out;
}

/** Routes the document hides but that face the outside all the same. */
const HIDDEN_OPERATIONS: Operation[] = [
  { method: 'POST', path: '/api/webhooks/sumsub', parameters: [], body: { type: 'object' }, consumes: ['application/json'] },
  { method: 'POST', path: '/api/webhooks/wise', parameters: [], body: { type: 'object' }, consumes: ['application/json'] },
];

export function operationsOf(document: unknown): Operation[] {
  const doc = document as OpenApiDocument;
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const [method, operation] of Object.entries(methods)) {
      const content = operation.requestBody?.content ?? {};
      const json = content['application/json']?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (operation.parameters ?? []).map((parameter) => ({ ...parameter, schema: resolve(parameter.schema ?? {}, doc) })),
        body: json ? resolve(json, doc) : undefined,
        consumes: Object.keys(content).length > 0 ? Object.keys(content) : ['application/json'],
      });
    }
  }
  return [...operations, ...HIDDEN_OPERATIONS];
}

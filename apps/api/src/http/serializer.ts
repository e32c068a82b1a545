/**
 * Response serialisation through the route's zod schema, compiled once per route.
 *
 * fastify-type-provider-zod's serializer encodes every response with zod (a full parse that
 * copies the object) and then runs JSON.stringify over the copy. Here the schema is compiled once
 * into a function that checks each value as zod would and writes only the declared fields, in the
 * order JSON.stringify would have written zod's copy. Whatever the compiled function is not sure
 * of (a value that fails a check, a schema part it does not know: refinements, transforms,
 * defaults, unions, records, …) goes to the library's serializer, so the answer is exactly the
 * zod one: the same JSON, or the same ResponseSerializationError. A route still cannot leak an
 * undeclared field, and a response that breaks its schema is still a 500.
 */
import type { FastifySerializerCompiler } from 'fastify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { $ZodExactOptional, $ZodType, safeEncode } from 'zod/v4/core';

/** JSON text for a value, or undefined when the value needs zod to decide. */
type Emitter = (value: unknown) => string | undefined;

interface Def {
  type: string;
  checks?: readonly unknown[];
  shape?: Record<string, $ZodType>;
  catchall?: $ZodType;
  innerType?: $ZodType;
  element?: $ZodType;
  entries?: Record<string, unknown>;
  values?: readonly unknown[];
}

const defOf = (schema: $ZodType) => schema._zod.def as unknown as Def;

/** No checks, format, coercion or anything else beyond the type itself. */
function isPlain(def: Def): boolean {
  for (const key of Object.keys(def)) {
    if (key === 'type') continue;
    if (key === 'checks' && def.checks?.length === 0) continue;
    return false;
  }
  return true;
}

/** A part the compiled form does not know, or with checks: zod checks that value itself. */
function byZod(schema: $ZodType): Emitter {
  return (value) => {
    const result = safeEncode(schema, value);
    return result.success ? JSON.stringify(result.data) : undefined;
  };
}

function compileSchema(schema: $ZodType, seen: Map<$ZodType, Emitter>): Emitter | undefined {
  const known = seen.get(schema);
  if (known) return known;
  const def = defOf(schema);
  switch (def.type) {
    case 'string': {
      if (!isPlain(def)) return checkedLeaf(schema, (value) => typeof value === 'string');
      return (value) => (typeof value === 'string' ? JSON.stringify(value) : undefined);
    }
    case 'number': {
      const finite = (value: unknown) => typeof value === 'number' && Number.isFinite(value);
      if (!isPlain(def)) return checkedLeaf(schema, finite);
      return (value) => (finite(value) ? JSON.stringify(value) : undefined);
    }
    case 'boolean':
      if (!isPlain(def)) return undefined;
      return (value) => (value === true ? 'true' : value === false ? 'false' : undefined);
    case 'null':
      if (!isPlain(def)) return undefined;
      return (value) => (value === null ? 'null' : undefined);
    case 'enum': {
      // The enum's values as zod checks them (a numeric TypeScript enum's entries also hold the
      // reverse mapping, names keyed by number, which zod does not accept as values).
      const allowed = new Set((schema._zod as { values?: Set<unknown> }).values ?? []);
      if (Object.keys(def).some((key) => key !== 'type' && key !== 'entries')) return undefined;
      return (value) => (allowed.has(value) ? JSON.stringify(value) : undefined);
    }
    case 'literal': {
      const allowed = new Set(def.values ?? []);
      if (Object.keys(def).some((key) => key !== 'type' && key !== 'values')) return undefined;
      return (value) => (allowed.has(value) ? JSON.stringify(value) : undefined);
    }
    case 'nullable': {
      if (Object.keys(def).some((key) => key !== 'type' && key !== 'innerType') || !def.innerType) return undefined;
      const inner = compileSchema(def.innerType, seen);
      if (!inner) return undefined;
      return (value) => (value === null ? 'null' : inner(value));
    }
    case 'array': {
      if (Object.keys(def).some((key) => key !== 'type' && key !== 'element') || !def.element) return undefined;
      let element: Emitter | undefined;
      const emit: Emitter = (value) => {
        if (!Array.isArray(value)) return undefined;
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item = (element as Emitter)(value[i]);
          if (item === undefined) return undefined;
          out += i === 0 ? item : `,${item}`;
        }
        return `${out}]`;
      };
      seen.set(schema, emit);
      element = compileSchema(def.element, seen);
      seen.delete(schema);
      return element ? emit : undefined;
    }
    case 'object':
      return compileObject(schema, def, seen);
    default:
      return undefined;
  }
}

/** A string or number with checks (length, format, int, …): the type here, the checks by zod. */
function checkedLeaf(schema: $ZodType, isType: (value: unknown) => boolean): Emitter {
  const zod = byZod(schema);
  return (value) => (isType(value) ? zod(value) : undefined);
}

interface Field {
  key: string;
  /** `"key":` */
  prefix: string;
  optional: boolean;
  emit: Emitter;
}

function compileObject(schema: $ZodType, def: Def, seen: Map<$ZodType, Emitter>): Emitter | undefined {
  if (def.checks?.length) return undefined;
  // Undeclared keys: stripped (no catchall), or refused (strictObject: catchall never); a loose
  // object would pass them on, which is zod's to do.
  let strict = false;
  if (def.catchall) {
    if (defOf(def.catchall).type !== 'never') return undefined;
    strict = true;
  }
  if (Object.keys(def).some((key) => !['type', 'shape', 'catchall', 'checks'].includes(key))) return undefined;
  const shape = def.shape ?? {};
  // zod's copy never has an own `__proto__` key; written from the value it would be: zod decides.
  if (Object.hasOwn(shape, '__proto__')) return undefined;
  // JSON.stringify writes integer-like keys first: the same order as an object built in shape order.
  const keys = Object.keys(Object.fromEntries(Object.keys(shape).map((key) => [key, true])));
  const declared = new Set(keys);
  const fields: Field[] = [];
  const emit: Emitter = (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const record = value as Record<string, unknown>;
    if (strict) {
      for (const key in record) if (!declared.has(key)) return undefined;
    }
    let out = '{';
    let first = true;
    for (const field of fields) {
      const item = record[field.key];
      if (item === undefined && field.optional) continue;
      const text = field.emit(item);
      if (text === undefined) return undefined;
      out += first ? field.prefix + text : `,${field.prefix}${text}`;
      first = false;
    }
    return `${out}}`;
  };
  seen.set(schema, emit);
  try {
    for (const key of keys) {
      let property = shape[key] as $ZodType;
      let optional = false;
      const propertyDef = defOf(property);
      // exactOptional has the same def as optional but refuses an explicit undefined: zod decides.
      if (property instanceof $ZodExactOptional) return undefined;
      if (propertyDef.type === 'optional') {
        if (Object.keys(propertyDef).some((k) => k !== 'type' && k !== 'innerType') || !propertyDef.innerType) return undefined;
        property = propertyDef.innerType;
        optional = true;
      }
      const compiled = compileSchema(property, seen);
      if (!compiled) return undefined;
      fields.push({ key, prefix: `${JSON.stringify(key)}:`, optional, emit: compiled });
    }
  } finally {
    seen.delete(schema);
  }
  return emit;
}

/** The route's zod schema, as fastify-type-provider-zod finds it. */
function zodSchemaOf(schema: unknown): $ZodType | undefined {
  if (schema instanceof $ZodType) return schema;
  if (typeof schema === 'object' && schema !== null && 'properties' in schema && schema.properties instanceof $ZodType) {
    return schema.properties;
  }
  return undefined;
}

/** Compiles a zod schema into a JSON writer; undefined when any part of it needs zod itself. */
export function compileSerializer(schema: $ZodType): ((value: unknown) => string | undefined) | undefined {
  return compileSchema(schema, new Map());
}

export const serializerCompiler: FastifySerializerCompiler<unknown> = (route) => {
  const byLibrary = zodSerializerCompiler(route as Parameters<typeof zodSerializerCompiler>[0]);
  const schema = zodSchemaOf(route.schema);
  const compiled = schema && compileSerializer(schema);
  if (!compiled) return byLibrary;
  return (data) => compiled(data) ?? byLibrary(data);
};

/**
 * Request validation with Fastify's own Ajv compiler, twice: query strings and path parameters
 * are text, so "50" may become the integer 50 (and one value a one-item array); a JSON body is
 * typed already, so it is taken as sent. Coercing bodies stored `"feeVnd": null` as 0, `true` as
 * 1, `name: 12345` as text and accepted `"channel": ["direct"]` (issue #11 item 6).
 */
import { AjvCompiler } from "@fastify/ajv-compiler";
import type { FastifyServerOptions } from "fastify";

const SHARED = {
  // Reject unknown fields (a typo like "recievedAt" must not be silently dropped) and report every failing field.
  removeAdditional: false,
  allErrors: true,
} as const;

/**
 * `format: "date-time"` as motcua reads it: ISO 8601 with an explicit offset, seconds optional
 * (the `Timestamp` pattern, API.md "Conventions"). ajv-formats' RFC 3339 reading would newly refuse
 * "2025-01-23T09:15+07:00", which clients send today; impossible dates are refused by the services.
 */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const onCreate = (ajv: { addFormat(name: string, format: RegExp): unknown }) => ajv.addFormat("date-time", DATE_TIME);

type BuildValidator = NonNullable<NonNullable<NonNullable<FastifyServerOptions["schemaController"]>["compilersFactory"]>["buildValidator"]>;

/** The `schemaController` server option: no coercion for bodies, coercion for the rest. */
export function validationSchemaController(): NonNullable<FastifyServerOptions["schemaController"]> {
  const coercing = AjvCompiler();
  const strict = AjvCompiler();
  const buildValidator: BuildValidator = (externalSchemas, options) => {
    // Fastify passes its `ajv` server option (unset here, so plugins and customOptions are empty).
    const plugins = (options as { plugins?: [] } | undefined)?.plugins ?? [];
    const text = coercing(externalSchemas, { plugins, onCreate, customOptions: { ...SHARED, coerceTypes: "array" } });
    const json = strict(externalSchemas, { plugins, onCreate, customOptions: { ...SHARED, coerceTypes: false } });
    return (route) => (route.httpPart === "body" ? json(route) : text(route));
  };
  return { compilersFactory: { buildValidator } };
}

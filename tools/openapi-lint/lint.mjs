// Lints xiehui's OpenAPI document: valid against the OpenAPI 3 specification's JSON Schema
// (@seriousme/openapi-schema-validator, which also resolves every $ref), plus the checks that
// schema cannot make: unique operationIds, `required` fields that exist, and every operation
// documenting a success response.
//
//   node lint.mjs openapi.json
import { readFile } from "node:fs/promises";
import { Validator } from "@seriousme/openapi-schema-validator";

const file = process.argv[2];
if (!file) {
  console.error("usage: node lint.mjs OPENAPI.json");
  process.exit(2);
}
const doc = JSON.parse(await readFile(file, "utf8"));
const problems = [];

const validator = new Validator();
const result = await validator.validate(structuredClone(doc));
if (!result.valid) {
  for (const e of [].concat(result.errors ?? [])) {
    problems.push(`${e.instancePath ?? ""}: ${e.message ?? JSON.stringify(e)}`);
  }
}

const operationIds = new Map();
const walkSchema = (schema, at) => {
  if (!schema || typeof schema !== "object") return;
  if (Array.isArray(schema.required) && schema.properties) {
    for (const name of schema.required) {
      if (!(name in schema.properties) && !schema.additionalProperties) {
        problems.push(`${at}: required "${name}" is not among the properties`);
      }
    }
  }
  for (const [key, value] of Object.entries(schema)) {
    if (value && typeof value === "object") walkSchema(value, `${at}/${key}`);
  }
};
for (const [path, item] of Object.entries(doc.paths ?? {})) {
  for (const [method, op] of Object.entries(item)) {
    const at = `${method.toUpperCase()} ${path}`;
    if (op.operationId) {
      if (operationIds.has(op.operationId)) problems.push(`${at}: operationId used twice`);
      operationIds.set(op.operationId, at);
    }
    const codes = Object.keys(op.responses ?? {});
    if (!codes.some((c) => /^[23]\d\d$/.test(c))) problems.push(`${at}: no success response`);
    walkSchema(op, at);
  }
}
walkSchema(doc.components?.schemas, "#/components/schemas");

if (problems.length > 0) {
  for (const p of problems) console.error(`openapi-lint: ${p}`);
  console.error(`openapi-lint: ${file}: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(
  `openapi-lint: ${file}: valid OpenAPI ${doc.openapi}, ` +
    `${operationIds.size} operations, ${Object.keys(doc.components?.schemas ?? {}).length} schemas`,
);

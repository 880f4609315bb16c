/** tools/list as an agent reads it: every parameter described, output schemas declared and enforced, compact. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import { toolListing } from '../../../src/mcp/server.js';
import { allTools } from '../../../src/tools/index.js';
import { CORE_TOOLS_LIST_MAX_BYTES, TOOLS_LIST_MAX_BYTES, toolsListBytes } from '../../helpers/tools-list-budget.js';

type JsonObject = Record<string, unknown>;

/** Paths of properties (at any depth) that carry no description. */
function undescribed(schema: JsonObject, path: string): string[] {
  const missing: string[] = [];
  const properties = (schema.properties ?? {}) as Record<string, JsonObject>;
  for (const [name, property] of Object.entries(properties)) {
    const here = `${path}.${name}`;
    if (typeof property.description !== 'string' || property.description.length < 10) missing.push(here);
    missing.push(...undescribed(property, here));
  }
  return missing;
}

const listings = allTools.map((tool) => toolListing(tool));

test('every tool parameter, nested ones included, carries a description', () => {
  const missing = listings.flatMap((tool) => undescribed(tool.inputSchema as JsonObject, tool.name));
  assert.deepEqual(missing, []);
});

test('descriptions state defaults where a default applies', () => {
  for (const tool of listings) {
    const properties = ((tool.inputSchema as JsonObject).properties ?? {}) as Record<string, JsonObject>;
    for (const [name, property] of Object.entries(properties)) {
      if (property.default === undefined) continue;
      assert.match(String(property.description), /[Dd]efault/, `${tool.name}.${name} has a default its description does not state`);
    }
  }
});

test('every tool with stable structured content declares an outputSchema', () => {
  const without = listings.filter((tool) => tool.outputSchema === undefined).map((tool) => tool.name);
  assert.deepEqual(without, ['evaluate_script']);
});

test('output schemas accept a real-shaped result and reject a wrong one (the client enforces them)', () => {
  const validator = new AjvJsonSchemaValidator();
  const listing = listings.find((tool) => tool.name === 'list_network_requests');
  assert.ok(listing?.outputSchema);
  const check = validator.getValidator(listing.outputSchema as JsonObject);
  const good = { sessionId: 's1', captureId: 'capture-1', total: 2, capturedTotal: 2, returned: 2, indexes: [0, 1] };
  assert.equal(check(good).valid, true);
  assert.equal(check({ ...good, indexes: ['0'] }).valid, false);
  assert.equal(check({ ...good, total: undefined }).valid, false);
});

test('tools/list stays compact: the core tools under 16 KB, all 23 tools under 30 KB (chrome-devtools-mcp: 28.6 KB)', () => {
  const bytes = toolsListBytes(listings);
  assert.ok(bytes.core < CORE_TOOLS_LIST_MAX_BYTES, `the core tools' listing is ${bytes.core} bytes`);
  assert.ok(bytes.all < TOOLS_LIST_MAX_BYTES, `tools/list is ${bytes.all} bytes`);
});

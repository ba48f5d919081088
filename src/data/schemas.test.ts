import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SCALAR_TYPES } from '../kql/values/types.js';
import { BUILTIN_TABLES, builtinSchema } from './schemas.js';

/** Rows of each docs table (MicrosoftDocs/defender-docs, commits in schemas.ts), plus TimeGenerated. */
const DOCS_COLUMN_COUNTS: Record<string, number> = {
  DeviceFileEvents: 57,
  DeviceProcessEvents: 66,
  DeviceNetworkEvents: 44,
  DeviceRegistryEvents: 42,
  DeviceImageLoadEvents: 41,
  DeviceLogonEvents: 48,
  DeviceEvents: 64,
};

function column(table: string, name: string) {
  const schema = builtinSchema(table)!;
  const index = schema.findIndex((c) => c.name === name);
  return { index, type: schema[index]?.type };
}

describe('built-in Defender schemas', () => {
  test('the seven tables, with the docs column counts plus TimeGenerated', () => {
    assert.deepEqual(Object.keys(BUILTIN_TABLES).sort(), Object.keys(DOCS_COLUMN_COUNTS).sort());
    for (const [table, count] of Object.entries(DOCS_COLUMN_COUNTS)) {
      assert.equal(builtinSchema(table)!.length, count + 1, table);
    }
  });

  test('every table starts with Timestamp, ends with TimeGenerated, has unique names and Kusto types', () => {
    for (const table of Object.keys(BUILTIN_TABLES)) {
      const schema = builtinSchema(table)!;
      assert.deepEqual(schema[0], { name: 'Timestamp', type: 'datetime' }, table);
      assert.deepEqual(schema.at(-1), { name: 'TimeGenerated', type: 'datetime' }, table);
      assert.equal(new Set(schema.map((c) => c.name)).size, schema.length, `${table} has duplicate names`);
      for (const c of schema) assert.ok(SCALAR_TYPES.includes(c.type), `${table}.${c.name}: ${c.type}`);
    }
  });

  test('DeviceFileEvents spot checks against the docs table', () => {
    assert.deepEqual(column('DeviceFileEvents', 'FolderPath'), { index: 5, type: 'string' });
    assert.deepEqual(column('DeviceFileEvents', 'FileSize'), { index: 14, type: 'long' });
    assert.deepEqual(column('DeviceFileEvents', 'RequestSourcePort'), { index: 42, type: 'int' });
    // The docs spell it `boolean`; Kusto's type is bool.
    assert.deepEqual(column('DeviceFileEvents', 'IsAzureInfoProtectionApplied'), { index: 49, type: 'bool' });
    assert.deepEqual(column('DeviceFileEvents', 'AdditionalFields'), { index: 52, type: 'string' });
    assert.deepEqual(column('DeviceFileEvents', 'InitiatingProcessRemoteSessionIP'), { index: 56, type: 'string' });
  });

  test('DeviceProcessEvents spot checks against the docs table', () => {
    assert.deepEqual(column('DeviceProcessEvents', 'ProcessCommandLine'), { index: 17, type: 'string' });
    assert.deepEqual(column('DeviceProcessEvents', 'ProcessCreationTime'), { index: 20, type: 'datetime' });
    assert.deepEqual(column('DeviceProcessEvents', 'LogonId'), { index: 26, type: 'long' });
    assert.deepEqual(column('DeviceProcessEvents', 'InitiatingProcessSignatureStatus'), { index: 54, type: 'string' });
    assert.deepEqual(column('DeviceProcessEvents', 'IsProcessRemoteSession'), { index: 63, type: 'bool' });
  });

  test('the other tables, spot checks against their docs tables', () => {
    assert.deepEqual(column('DeviceNetworkEvents', 'RemotePort'), { index: 5, type: 'int' });
    assert.deepEqual(column('DeviceNetworkEvents', 'InitiatingProcessParentFileName'), { index: 27, type: 'string' });
    assert.deepEqual(column('DeviceRegistryEvents', 'PreviousRegistryValueData'), { index: 10, type: 'string' });
    assert.equal(column('DeviceRegistryEvents', 'AdditionalFields').index, -1, 'the registry table has no AdditionalFields');
    assert.equal(column('DeviceImageLoadEvents', 'AdditionalFields').index, -1);
    assert.deepEqual(column('DeviceImageLoadEvents', 'InitiatingProcessIntegrityLevel'), { index: 15, type: 'string' });
    assert.deepEqual(column('DeviceLogonEvents', 'IsLocalAdmin'), { index: 10, type: 'bool' });
    assert.deepEqual(column('DeviceLogonEvents', 'RemotePort'), { index: 15, type: 'int' });
    assert.deepEqual(column('DeviceEvents', 'InitiatingProcessVersionInfoInternalFileName'), { index: 46, type: 'string' });
    assert.deepEqual(column('DeviceEvents', 'InitiatingProcessLogonId'), { index: 52, type: 'long' });
    assert.deepEqual(column('DeviceEvents', 'LocalPort'), { index: 26, type: 'int' });
  });

  test('names are case-sensitive, as in Kusto, and each call returns a fresh copy', () => {
    assert.equal(builtinSchema('devicefileevents'), undefined);
    assert.equal(builtinSchema('toString'), undefined);
    const copy = builtinSchema('DeviceFileEvents')!;
    copy.push({ name: 'Extra', type: 'string' });
    copy[0]!.name = 'Changed';
    assert.equal(builtinSchema('DeviceFileEvents')!.length, 58);
    assert.equal(builtinSchema('DeviceFileEvents')![0]!.name, 'Timestamp');
  });
});

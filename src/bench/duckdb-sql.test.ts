import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { agoSql, bindTables, hasAnySql, hasSql, inCaseInsensitiveSql, quoteString, tableSourceSql } from './duckdb-sql.js';

describe('KQL string operators in SQL', () => {
  test('has: plain substring when the needle has no term character at either end', () => {
    assert.equal(hasSql('FolderPath', '\\Temp\\'), "contains(lower(FolderPath), '\\temp\\')");
  });
  test('has: term boundaries where the needle starts or ends with a term character, metacharacters escaped', () => {
    assert.equal(hasSql('FileName', '.zip'), "regexp_matches(FileName, '(?i)\\.zip([^0-9A-Za-z]|$)')");
    assert.equal(hasSql('Url', 'microsoft.com'), "regexp_matches(Url, '(?i)(^|[^0-9A-Za-z])microsoft\\.com([^0-9A-Za-z]|$)')");
    assert.equal(hasSql('Cmd', 'copy /'), "regexp_matches(Cmd, '(?i)(^|[^0-9A-Za-z])copy /')");
  });
  test('has_any joins the needles with OR; in~ folds case', () => {
    assert.equal(hasAnySql('x', ['\\a\\', '\\b\\']), "(contains(lower(x), '\\a\\') OR contains(lower(x), '\\b\\'))");
    assert.equal(inCaseInsensitiveSql('FileName', ['Cmd.exe', "o'k"]), "lower(FileName) IN ('cmd.exe', 'o''k')");
  });
  test('quotes and instants', () => {
    assert.equal(quoteString("it's"), "'it''s'");
    assert.equal(agoSql('2026-11-28T00:00:00Z', 24), "TIMESTAMP '2026-11-27 00:00:00.000'");
  });
});

describe('table sources', () => {
  test('NDJSON and CSV spell out every schema column type; strings never null; Parquet instants as timestamps', () => {
    const json = tableSourceSql('DeviceFileEvents', '/data', 'ndjson');
    assert.match(json, /read_json\('\/data\/DeviceFileEvents\.ndjson', format = 'newline_delimited', columns = \{'Timestamp': 'TIMESTAMP_NS', /);
    assert.match(json, /'FileSize': 'BIGINT'/);
    assert.match(json, /coalesce\("FileName"::VARCHAR, ''\) AS "FileName"/);
    assert.match(tableSourceSql('DeviceFileEvents', '/data', 'csv'), /read_csv\('\/data\/DeviceFileEvents\.csv', header = true, auto_detect = false, columns = \{/);
    const parquet = tableSourceSql('DeviceFileEvents', '/data', 'parquet');
    assert.match(parquet, /read_parquet\('\/data\/DeviceFileEvents\.parquet'\)/);
    assert.match(parquet, /CAST\("Timestamp" AS TIMESTAMP\) AS "Timestamp"/);
  });
  test('placeholders are bound; an unknown table is refused', () => {
    assert.match(bindTables('SELECT count(*) FROM {DeviceProcessEvents}', '/d', 'csv'), /FROM \(SELECT .*DeviceProcessEvents\.csv.*\) AS DeviceProcessEvents$/s);
    assert.throws(() => tableSourceSql('DeviceNope', '/d', 'csv'), /DeviceNope is not a built-in Defender table/);
  });
});

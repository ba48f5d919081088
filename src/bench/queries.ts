/**
 * The benchmark's queries: the seed rule, the improved rule and five real Defender hunting queries
 * (../shared/corpus, run verbatim), each with a hand-written DuckDB SQL equivalent over the same files.
 * `{DeviceFileEvents}` in the SQL stands for the table's typed source (duckdb-sql.ts); `now` is
 * fixed to the generator's window end, so `ago()` is a constant on both sides.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RULES_DIR } from '../detections/builtin-rules.js';
import { sharedPath } from '../testing/repo.js';
import type { ColumnCheck } from './compare.js';
import { improvedRuleChecks, improvedRuleSql } from './improved-rule-sql.js';
import { agoSql, hasAnySql, hasSql, inCaseInsensitiveSql } from './duckdb-sql.js';

export interface BenchQuery {
  id: string;
  /** What it is and which KQL features it exercises. */
  title: string;
  /** Tables the query reads (their files count for MB/s). */
  tables: string[];
  kql: () => Promise<string>;
  /** The SQL for a given `now` (ISO instant). */
  sql: (now: string) => string;
  /** How each output column is compared (default exact); see compare.ts. */
  checks?: ColumnCheck[];
  /** Where the SQL is not an exact equivalent, what it leaves out. */
  restriction?: string;
  /** Only streaming operators (no summarize/join/sort state that grows with the input). */
  streaming: boolean;
}

function ruleQuery(id: string): () => Promise<string> {
  return () => readFile(join(RULES_DIR, id, 'query.kql'), 'utf8');
}

const CORPUS_FILE = ['corpus', 'defender-hunting-queries.jsonl'];

/** A query of the shared corpus, verbatim, by its id. */
function corpusQuery(id: string): () => Promise<string> {
  return async () => {
    const path = sharedPath(...CORPUS_FILE);
    if (!path) throw new Error(`the hunting query corpus (../shared/${CORPUS_FILE.join('/')}) is not there`);
    for (const line of (await readFile(path, 'utf8')).split('\n')) {
      if (line.trim() === '') continue;
      const entry = JSON.parse(line) as { id: string; query: string };
      if (entry.id === id) return entry.query;
    }
    throw new Error(`no query ${id} in ${path}`);
  };
}

const SEED_STAGING_PATHS = ['\\Temp\\', '\\tmp\\', '\\AppData\\Local\\Temp\\', '\\AppData\\Roaming\\', '\\ProgramData\\', '\\Users\\Public\\', '\\Windows\\Temp\\'];
const SEED_STAGING_EXTENSIONS = ['.zip', '.7z', '.rar', '.tar', '.gz', '.cab', '.iso'];

function seedRuleSql(now: string): string {
  const recent = `Timestamp > ${agoSql(now, 24)}`;
  return `
WITH bulk AS (
  SELECT max(Timestamp) AS Timestamp, DeviceName, InitiatingProcessAccountName AS AccountName,
    InitiatingProcessFileName, InitiatingProcessCommandLine, FolderPath, count(*) AS FileCount,
    list_distinct(list(lower(string_split(FileName, '.')[-1]))) AS Extensions, 'BulkFileStaging' AS StagingType
  FROM {DeviceFileEvents}
  WHERE ${recent} AND ActionType IN ('FileCreated', 'FileModified') AND ${hasAnySql('FolderPath', SEED_STAGING_PATHS)}
  GROUP BY DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, InitiatingProcessCommandLine, FolderPath
  HAVING count(*) >= 10),
archives AS (
  SELECT Timestamp, DeviceName, InitiatingProcessAccountName AS AccountName, InitiatingProcessFileName,
    InitiatingProcessCommandLine, FolderPath, FileName, 'ArchiveCreated' AS StagingType
  FROM {DeviceFileEvents}
  WHERE ${recent} AND ActionType = 'FileCreated' AND ${hasAnySql('FolderPath', SEED_STAGING_PATHS)}
    AND ${hasAnySql('FileName', SEED_STAGING_EXTENSIONS)}),
copies AS (
  SELECT Timestamp, DeviceName, AccountName, FileName, ProcessCommandLine, InitiatingProcessFileName,
    InitiatingProcessCommandLine, 'BulkCopyCommand' AS StagingType
  FROM {DeviceProcessEvents}
  WHERE ${recent} AND ${inCaseInsensitiveSql('FileName', ['robocopy.exe', 'xcopy.exe', 'cmd.exe', 'powershell.exe'])}
    AND ${hasAnySql('ProcessCommandLine', ['robocopy', 'xcopy', 'copy /', 'Copy-Item', 'cp -r'])}
    AND ${hasAnySql('ProcessCommandLine', SEED_STAGING_PATHS)})
SELECT Timestamp, DeviceName, AccountName, InitiatingProcessFileName, InitiatingProcessCommandLine, FolderPath,
  FileCount, Extensions, StagingType, NULL::VARCHAR AS FileName, NULL::VARCHAR AS ProcessCommandLine FROM bulk
UNION ALL
SELECT Timestamp, DeviceName, AccountName, InitiatingProcessFileName, InitiatingProcessCommandLine, FolderPath,
  NULL, NULL, StagingType, FileName, NULL FROM archives
UNION ALL
SELECT Timestamp, DeviceName, AccountName, InitiatingProcessFileName, InitiatingProcessCommandLine, NULL,
  NULL, NULL, StagingType, FileName, ProcessCommandLine FROM copies
ORDER BY Timestamp DESC`;
}

export const BENCH_QUERIES: BenchQuery[] = [
  {
    id: 'seed-rule',
    title: 'seed rule (rules/t1074-seed): 3 branches, has_any, summarize make_set, union',
    tables: ['DeviceFileEvents', 'DeviceProcessEvents'],
    kql: ruleQuery('t1074-seed'),
    sql: seedRuleSql,
    checks: ['exact', 'exact', 'exact', 'exact', 'exact', 'exact', 'exact', 'set'],
    streaming: false,
  },
  {
    id: 'improved-rule',
    title: 'improved rule (rules/t1074-data-staged): 7 branches, regexes, UDFs, dcount, bin',
    tables: ['DeviceFileEvents', 'DeviceProcessEvents'],
    kql: ruleQuery('t1074-data-staged'),
    sql: improvedRuleSql,
    checks: improvedRuleChecks(),
    streaming: false,
  },
  {
    id: 'corpus-printnightmare-445',
    title: 'corpus 27df287ca406 (filter + summarize dcount): printnightmare SMB listeners',
    tables: ['DeviceNetworkEvents'],
    kql: corpusQuery('27df287ca406'),
    sql: (now) => `
SELECT DeviceName, InitiatingProcessFileName, InitiatingProcessId, InitiatingProcessCreationTime, count(DISTINCT RemoteIP) AS RemoteIPCount
FROM {DeviceNetworkEvents}
WHERE Timestamp > ${agoSql(now, 7 * 24)} AND LocalPort = 445
GROUP BY DeviceName, InitiatingProcessFileName, InitiatingProcessId, InitiatingProcessCreationTime`,
    streaming: false,
  },
  {
    id: 'corpus-usb-copy-join',
    title: 'corpus c174d4ba4f11 (join + parse + distinct + summarize): data copied to USB per day',
    tables: ['DeviceEvents', 'DeviceFileEvents'],
    kql: corpusQuery('c174d4ba4f11'),
    sql: (now) => `
WITH mounts AS (
  SELECT DeviceId, coalesce(json_extract_string(AdditionalFields, '$.DriveLetter'), '') AS DriveLetter
  FROM {DeviceEvents}
  WHERE TimeGenerated > ${agoSql(now, 21 * 24)} AND ActionType = 'UsbDriveMounted'),
created AS (
  SELECT DeviceId, FileName, FileSize, TimeGenerated AS FileCopyTime,
    -- parse FolderPath with DriveLetter '\\\\' *: the text before the first backslash, empty when there is none
    CASE WHEN strpos(FolderPath, '\\') > 0 THEN substr(FolderPath, 1, strpos(FolderPath, '\\') - 1) ELSE '' END AS DriveLetter
  FROM {DeviceFileEvents}
  WHERE TimeGenerated > ${agoSql(now, 21 * 24)} AND ActionType = 'FileCreated'),
copied AS (
  SELECT DISTINCT c.FileCopyTime, c.FileName AS FileName1, c.FileSize
  FROM mounts m JOIN created c ON m.DeviceId = c.DeviceId AND m.DriveLetter = c.DriveLetter)
SELECT date_trunc('day', FileCopyTime) AS FileCopyTime, sum(FileSize // 1024 // 1024 // 1024) AS DataCopiedinGB
FROM copied GROUP BY 1`,
    streaming: false,
  },
  {
    id: 'corpus-scm-tools-has-any',
    title: 'corpus ac7acb26e01a (has_any lists, every column): source control tools',
    tables: ['DeviceProcessEvents'],
    kql: corpusQuery('ac7acb26e01a'),
    sql: () => {
      const tools = ['git.exe', 'svn.exe', 'hg.exe'];
      return `SELECT * FROM {DeviceProcessEvents} WHERE ${hasAnySql('FileName', tools)} OR ${hasAnySql('ProcessCommandLine', tools)}`;
    },
    streaming: true,
  },
  {
    id: 'corpus-copied-off-c-extract',
    title: 'corpus c51a0b8d95ef (extract, split, !in): files created off the C: drive',
    tables: ['DeviceFileEvents'],
    kql: corpusQuery('c51a0b8d95ef'),
    sql: () => `
SELECT * EXCLUDE (extension) FROM (
  SELECT string_split(FolderPath, ':')[1] AS DriveLetterOrShare, FolderPath, FileName, DeviceId, DeviceName, ReportId, Timestamp,
    ShareName, IsAzureInfoProtectionApplied, SensitivityLabel, SensitivitySubLabel, InitiatingProcessFileName,
    InitiatingProcessAccountUpn, InitiatingProcessCommandLine, regexp_extract(FileName, '.*(\\..*)$', 1) AS extension
  FROM {DeviceFileEvents}
  WHERE ActionType = 'FileCreated')
WHERE extension NOT IN ('.ps1', '.bat', '.cmd') AND DriveLetterOrShare <> 'C'`,
    streaming: true,
  },
  {
    id: 'corpus-url-top',
    title: 'corpus f3e8d4a6bc8f (has on a dotted term, top 100 by Timestamp): connections to a domain',
    tables: ['DeviceNetworkEvents'],
    kql: corpusQuery('f3e8d4a6bc8f'),
    sql: (now) => `
SELECT Timestamp, DeviceName, DeviceId, ReportId FROM {DeviceNetworkEvents}
WHERE Timestamp > ${agoSql(now, 7 * 24)} AND ${hasSql('RemoteUrl', 'microsoft.com')}
ORDER BY Timestamp DESC LIMIT 100`,
    streaming: false,
  },
];

export function benchQuery(id: string): BenchQuery {
  const query = BENCH_QUERIES.find((q) => q.id === id);
  if (!query) throw new Error(`unknown query '${id}' (known: ${BENCH_QUERIES.map((q) => q.id).join(', ')})`);
  return query;
}

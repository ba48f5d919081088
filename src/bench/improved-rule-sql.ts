/**
 * DuckDB SQL equivalent of the improved rule (rules/t1074-data-staged/query.kql), written by hand:
 * its lists and regular expressions are copied verbatim (DuckDB's regexp_* functions use RE2, as our
 * engine does; Kusto `matches regex` and `extract` are unanchored searches, as regexp_matches and
 * regexp_extract are), its functions are inlined as SQL expressions, and Kusto's string rules are
 * spelled out (`coalesce` takes the first NON-EMPTY string, `has` matches whole terms).
 *
 * Two things SQL cannot reproduce exactly are returned as candidates and checked by membership
 * (see compare.ts): `take_any`/`take_anyif` pick a value in input order, and `make_set(x, N)` keeps the
 * first N distinct values in input order. Masquerading and Severity of a bulk-file alert read the
 * command line take_any picked; the SQL reads the smallest one, which is the same whenever the
 * group's processes share one command line (the generated data never varies it within a group).
 * parse_path(path).DirectoryPath is taken as the text before the last separator (no `scheme://` prefix
 * occurs in FolderPath).
 */
import type { ColumnCheck } from './compare.js';
import { agoSql, hasAnySql, quoteString } from './duckdb-sql.js';

const re = (pattern: string) => quoteString(pattern);

const WINDOWS_STAGING_FOLDERS = ['\\Temp\\', '\\tmp\\', '\\AppData\\Local\\Temp\\', '\\AppData\\Roaming\\', '\\ProgramData\\',
  '\\Users\\Public\\', '\\Windows\\Temp\\', '\\PerfLogs\\', '\\$Recycle.Bin\\'];
const WINDOWS_STAGING_VARIABLES = ['%TEMP%', '%TMP%', '$env:TEMP', '$env:TMP', '%PUBLIC%', '$env:PUBLIC', '%ProgramData%',
  '$env:ProgramData', '%APPDATA%', '$env:APPDATA', 'GetTempPath'];
const LINUX_STAGING_PATH = String.raw`^/(tmp|var/tmp|dev/shm)/`;
const LINUX_STAGING_ARGUMENT = String.raw`(^|[\s'"=:>])/(tmp|var/tmp|dev/shm)(/|[\s'"]|$)`;
const COMMON_DOT_FOLDERS = ['.cache', '.config', '.local', '.git', '.npm', '.m2', '.gradle', '.cargo', '.rustup', '.vscode',
  '.vscode-server', '.mozilla', '.pki', '.gnupg', '.ssh', '.dbus', '.nuget', '.java', '.docker', '.kube', '.ansible', '.pyenv',
  '.nvm', '.ICE-unix', '.X11-unix', '.font-unix', '.XIM-unix', '.Test-unix', '.oracle_jre_usage'];
const ARCHIVE_SUFFIX = String.raw`(?i)\.(zip|7z|rar|tar|gz|tgz|bz2|xz|zst|cab|iso|gpg|enc)(\.\d{3})?$`;
const MASQUERADING_FOLDER_NAMES = ['microsoftupdates', 'microsoftupdate', 'microsoft updates', 'windowsupdate', 'windowsupdates',
  'windows update', 'msupdate', 'winupdate', 'systemupdate', 'securityupdate', 'windowsdefenderupdate'];
const COPY_IMAGES = ['robocopy.exe', 'xcopy.exe', 'cmd.exe', 'powershell.exe', 'pwsh.exe', 'powershell_ise.exe', 'cp', 'rsync',
  'scp', 'find', 'bash', 'sh', 'dash', 'zsh', 'busybox'];
const COPY_VERB = String.raw`(?i)(^|[\s&|;('"\\/{])(copy|xcopy|robocopy|copy-item|cpi|cp|rsync|scp)(\.exe)?(['"\s]|$)`;
const ARCHIVER_IMAGES = ['7z.exe', '7za.exe', '7zr.exe', '7zg.exe', 'rar.exe', 'winrar.exe', 'wzzip.exe', 'winzip64.exe',
  'winzip32.exe', 'makecab.exe', 'tar.exe', 'compact.exe', '7z', '7za', 'rar', 'zip', 'tar', 'gzip', 'bzip2', 'xz', 'zstd',
  'gpg', 'gpg2', 'openssl'];
const ARCHIVE_VERB = String.raw`(?i)(compress-archive|zipfile\]::createfromdirectory|(^|[\s&|;('"\\/])(7z|7za|7zr|rar|winrar|wzzip|winzip64|winzip32|makecab|zip|tar)(\.exe)?['"]?\s)`;
const BINARY_PAYLOAD_PACKAGING = String.raw`(?i)makecab(\.exe)?["']?\s+["']?[^\s"']+\.(dll|exe|manifest|sys)["']?\s`;
const EXPLORER_ZIP_FOLDER = String.raw`(?i)^Temp\d+_.+\.zip$`;
const ADMIN_SHARE = String.raw`(?i)\\\\[^\\\s"']+\\([a-z]|admin)\$`;
const OUTPUT_TO_FILE = String.raw`(?i)(invoke-webrequest|\biwr\b|\bcurl\b|\bwget\b|certutil).*(-outfile|\s-o\s|>)|\s>>?\s*['"]?(/|[a-z]:\\|%|\$env:)`;

const list = (values: readonly string[]) => values.map(quoteString).join(', ');

/** Kusto coalesce() over strings: the first non-empty one. */
const firstNonEmpty = (...expressions: string[]) => `coalesce(${expressions.map((e) => `nullif(${e}, '')`).join(', ')}, '')`;

const matches = (column: string, pattern: string) => `regexp_matches(${column}, ${re(pattern)})`;
const extract = (pattern: string, column: string) => `regexp_extract(${column}, ${re(pattern)}, 1)`;

function isPasswordProtected(cmd: string): string {
  return `((${matches(cmd, String.raw`(?i)(^|[\s\\/"'])(7z|7za|7zr|7zg|rar|winrar)(\.exe)?["']?\s`)} AND ${matches(cmd, String.raw`(?i)\s-(p|hp)[^\s]`)})
    OR ${matches(cmd, String.raw`(?i)\s-mhe=on`)}
    OR (${matches(cmd, String.raw`(?i)(wzzip|winzip\d*)(\.exe)?["']?\s`)} AND ${matches(cmd, String.raw`\s-s\S`)})
    OR (${matches(cmd, String.raw`(^|[\s/;&|(])zip\s`)} AND ${matches(cmd, String.raw`\s(-P\s|-e(\s|$)|--password\s|--encrypt)`)})
    OR (${matches(cmd, String.raw`(^|[\s/;&|(])gpg2?\s`)} AND ${matches(cmd, String.raw`\s(-c|--symmetric)(\s|$)`)})
    OR ${matches(cmd, String.raw`(^|[\s/;&|(])openssl\s+enc\s`)})`;
}

function isStagingPath(path: string): string {
  const dotFolder = extract(String.raw`/(\.[^/]+)/`, path);
  return `(${hasAnySql(path, WINDOWS_STAGING_FOLDERS)} OR ${matches(path, LINUX_STAGING_PATH)}
    OR (starts_with(${path}, '/') AND ${dotFolder} <> '' AND lower(${dotFolder}) NOT IN (${list(COMMON_DOT_FOLDERS.map((f) => f.toLowerCase()))})))`;
}

function namesStagingPath(cmd: string): string {
  return `(${hasAnySql(cmd, WINDOWS_STAGING_FOLDERS)} OR ${hasAnySql(cmd, WINDOWS_STAGING_VARIABLES)} OR ${matches(cmd, LINUX_STAGING_ARGUMENT)})`;
}

function stagingFolderOf(path: string): string {
  return firstNonEmpty(
    extract(String.raw`(?i)^(.*?\\(?:temp|tmp|programdata|users\\public|appdata\\roaming|perflogs|\$recycle\.bin)\\[^\\]+)\\`, path),
    extract(String.raw`^(/(?:tmp|var/tmp|dev/shm)/[^/]+)/`, path),
    extract(String.raw`^(.*?/\.[^/]+)/`, path),
    extract(String.raw`^(.*)[\\/]`, path));
}

function stagingFolderInCommand(cmd: string): string {
  return firstNonEmpty(
    extract(String.raw`(?i)([a-z]:(?:\\[^"'\s|&;<>\\]+)*?\\(?:temp|tmp|programdata|users\\public|appdata\\roaming|perflogs)\\[^\\"'\s|&;<>]+)`, cmd),
    extract(String.raw`(/(?:tmp|var/tmp|dev/shm)/[^/\s"';|&<>]+)`, cmd));
}

function isMasquerading(folder: string): string {
  return `(lower(${extract(String.raw`[\\/]([^\\/]+)$`, folder)}) IN (${list(MASQUERADING_FOLDER_NAMES)}))`;
}

/** Every distinct value (take_any's candidates), or [''] when the filter leaves none (take_anyif of nothing). */
const candidates = (column: string, filter = 'TRUE') =>
  `coalesce(nullif(list_distinct(list(${column}) FILTER (WHERE ${filter})), []), [''])`;

const GROUP_KEYS = `DeviceName, AccountName, InitiatingProcessFileName, InitiatingProcessFolderPath, StagingFolder, date_trunc('hour', Timestamp)`;

export function improvedRuleSql(now: string): string {
  return `
WITH staged AS (
  SELECT *, ${stagingFolderOf('FolderPath')} AS StagingFolder,
    (lower(RequestProtocol) = 'smb' OR (lower(InitiatingProcessFileName) = 'system' AND coalesce(InitiatingProcessId = 4, false))) AS ViaSmb,
    ${firstNonEmpty('RequestAccountName', 'InitiatingProcessAccountName')} AS AccountName
  FROM {DeviceFileEvents}
  WHERE Timestamp > ${agoSql(now, 24)} AND ActionType IN ('FileCreated', 'FileModified', 'FileRenamed') AND ${isStagingPath('FolderPath')}),
bulk AS (
  SELECT DeviceName, AccountName, InitiatingProcessFileName AS ProcessFileName, InitiatingProcessFolderPath AS ProcessFolderPath,
    StagingFolder, count(DISTINCT FolderPath) AS FileCount, list_distinct(list(FileName)) AS SampleFiles,
    list_distinct(list(lower(${extract(String.raw`\.([^.\\/]+)$`, 'FileName')}))) AS Extensions,
    min(Timestamp) AS FirstSeen, max(Timestamp) AS LastSeen,
    ${candidates('InitiatingProcessCommandLine')} AS ProcessCommandLine,
    ${candidates('InitiatingProcessVersionInfoCompanyName')} AS ProcessCompany,
    ${candidates('InitiatingProcessParentFileName')} AS ParentFileName,
    count_if(ViaSmb) AS SmbWrites, ${candidates('RequestSourceIP', "RequestSourceIP <> ''")} AS RemoteIP
  FROM staged GROUP BY ${GROUP_KEYS}
  HAVING count(DISTINCT FolderPath) >= 10),
archives AS (
  SELECT *, (lower(InitiatingProcessFileName) IN (${list(ARCHIVER_IMAGES)}) OR lower(InitiatingProcessFileName) IN (${list(COPY_IMAGES)}) OR ViaSmb) AS CreatorArchives
  FROM staged
  WHERE ActionType IN ('FileCreated', 'FileRenamed') AND ${matches('FileName', ARCHIVE_SUFFIX)} AND NOT ${matches('FileName', EXPLORER_ZIP_FOLDER)}
    AND NOT ${matches('InitiatingProcessCommandLine', BINARY_PAYLOAD_PACKAGING)}),
smb AS (
  SELECT DeviceName, AccountName, InitiatingProcessFileName AS ProcessFileName, InitiatingProcessFolderPath AS ProcessFolderPath,
    StagingFolder, count(DISTINCT FolderPath) AS FileCount, list_distinct(list(FileName)) AS SampleFiles,
    min(Timestamp) AS FirstSeen, max(Timestamp) AS LastSeen, ${candidates('RequestSourceIP', "RequestSourceIP <> ''")} AS RemoteIP
  FROM staged WHERE ViaSmb AND NOT ${matches('FileName', ARCHIVE_SUFFIX)}
  GROUP BY ${GROUP_KEYS}
  HAVING count(DISTINCT FolderPath) < 10),
processes AS (
  SELECT *, lower(FileName) AS Image,
    ${matches('ProcessCommandLine', COPY_VERB)} AS CopyVerb,
    (lower(FileName) IN (${list(ARCHIVER_IMAGES)}) OR ${matches('ProcessCommandLine', ARCHIVE_VERB)}) AS ArchiveVerb,
    ${namesStagingPath('ProcessCommandLine')} AS StagingArgument,
    ${matches('ProcessCommandLine', ADMIN_SHARE)} AS AdminShare
  FROM {DeviceProcessEvents}
  WHERE Timestamp > ${agoSql(now, 24)} AND ProcessCommandLine <> ''),
process_branches AS (
  SELECT *, false AS PasswordProtected, false AS RemoteStaging, 'BulkCopyCommand' AS StagingType FROM processes
  WHERE Image IN (${list(COPY_IMAGES)}) AND CopyVerb AND StagingArgument AND NOT AdminShare
  UNION ALL
  SELECT * EXCLUDE (PasswordProtected), PasswordProtected, false AS RemoteStaging,
    CASE WHEN PasswordProtected THEN 'PasswordArchive' ELSE 'ArchiveCommand' END AS StagingType
  FROM (SELECT *, ${isPasswordProtected('ProcessCommandLine')} AS PasswordProtected FROM processes
    WHERE ArchiveVerb AND NOT ${matches('ProcessCommandLine', BINARY_PAYLOAD_PACKAGING)})
  WHERE PasswordProtected OR StagingArgument OR CopyVerb
  UNION ALL
  SELECT *, false AS PasswordProtected, true AS RemoteStaging, 'RemoteShareCopy' AS StagingType FROM processes
  WHERE AdminShare AND CopyVerb
  UNION ALL
  SELECT *, false AS PasswordProtected, false AS RemoteStaging, 'OutputToStaging' AS StagingType FROM processes
  WHERE StagingArgument AND ${matches('ProcessCommandLine', OUTPUT_TO_FILE)} AND NOT (CopyVerb OR ArchiveVerb)),
alerts AS (
  SELECT LastSeen AS Timestamp, FirstSeen, LastSeen, DeviceName, AccountName, ProcessFileName, ProcessFolderPath, ProcessCommandLine,
    ProcessCompany, ParentFileName, '' AS ParentFolderPath, CASE WHEN SmbWrites > 0 THEN 'RemoteSmbStaging' ELSE 'BulkFileStaging' END AS StagingType,
    StagingFolder, '' AS FileName, FileCount, SampleFiles, Extensions, false AS PasswordProtected, SmbWrites > 0 AS RemoteStaging,
    RemoteIP, NULL::BOOLEAN AS CreatorArchives, list_sort(ProcessCommandLine)[1] AS PickedCommandLine
  FROM bulk
  UNION ALL
  SELECT Timestamp, Timestamp, Timestamp, DeviceName, AccountName, InitiatingProcessFileName, InitiatingProcessFolderPath,
    [InitiatingProcessCommandLine], [InitiatingProcessVersionInfoCompanyName], [InitiatingProcessParentFileName], '',
    CASE WHEN ViaSmb THEN 'RemoteSmbStaging' ELSE 'ArchiveCreated' END, StagingFolder, FileName, 1, [FileName], NULL,
    false, ViaSmb, [RequestSourceIP], CreatorArchives, InitiatingProcessCommandLine
  FROM archives
  UNION ALL
  SELECT LastSeen, FirstSeen, LastSeen, DeviceName, AccountName, ProcessFileName, ProcessFolderPath, [''], [''], [''], '',
    'RemoteSmbStaging', StagingFolder, '', FileCount, SampleFiles, NULL, false, true, RemoteIP, NULL, ''
  FROM smb
  UNION ALL
  SELECT Timestamp, Timestamp, Timestamp, DeviceName, AccountName, FileName, FolderPath, [ProcessCommandLine],
    [ProcessVersionInfoCompanyName], [InitiatingProcessFileName], InitiatingProcessFolderPath, StagingType,
    ${stagingFolderInCommand('ProcessCommandLine')}, '', NULL, NULL, NULL, PasswordProtected, RemoteStaging, [''], NULL, ProcessCommandLine
  FROM process_branches),
scored AS (
  SELECT *, (${isMasquerading('StagingFolder')} OR ${hasAnySql('PickedCommandLine', MASQUERADING_FOLDER_NAMES)}) AS Masquerading FROM alerts)
SELECT Timestamp, FirstSeen, LastSeen, DeviceName, AccountName, ProcessFileName, ProcessFolderPath, ProcessCommandLine,
  ProcessCompany, ParentFileName, ParentFolderPath, StagingType,
  CASE WHEN PasswordProtected OR RemoteStaging OR Masquerading THEN 'high'
    WHEN StagingType = 'OutputToStaging' THEN 'low'
    WHEN StagingType = 'ArchiveCreated' AND NOT CreatorArchives THEN 'low'
    ELSE 'medium' END AS Severity,
  StagingFolder, FileName, FileCount, SampleFiles, Extensions, PasswordProtected, RemoteStaging, Masquerading, RemoteIP
FROM scored
ORDER BY Timestamp DESC`;
}

/** Column checks for the rule's output (the project list of its last line). */
export function improvedRuleChecks(): ColumnCheck[] {
  const checks: ColumnCheck[] = new Array<ColumnCheck>(22).fill('exact');
  checks[7] = 'anyOf'; // ProcessCommandLine: take_any in the bulk branch
  checks[8] = 'anyOf'; // ProcessCompany
  checks[9] = 'anyOf'; // ParentFileName
  checks[16] = { cappedSet: 10 }; // SampleFiles = make_set(FileName, 10)
  checks[17] = { cappedSet: 20 }; // Extensions = make_set(…, 20)
  checks[21] = 'anyOf'; // RemoteIP: take_anyif in the bulk and SMB branches
  return checks;
}

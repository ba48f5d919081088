/**
 * Parsers of structured text: parse_path, parse_url, parse_urlquery, parse_command_line, parse_version.
 * Output shapes (property names and order) follow the docs examples.
 */
import type { ScalarFunction } from './registry.js';
import type { DynamicValue } from '../values/types.js';
import { STRING, STRING_OR_DYNAMIC, constantValue, defineScalar, simpleScalar, textOf, checkArgs } from './common.js';
import { urlDecode } from './text.js';

// ---------------------------------------------------------------------------------------------
// parse_path

/**
 * parse_path(path): Scheme, RootPath, DirectoryPath, DirectoryName, Filename, Extension,
 * AlternateDataStreamName (docs example: `file://C:/temp/file.txt:some.exe` → Scheme "file", RootPath
 * "C:", DirectoryPath "C:/temp", Filename "file.txt", AlternateDataStreamName "some.exe"; a UNC path
 * has RootPath "").
 */
export function parsePath(path: string): { [key: string]: DynamicValue } {
  let rest = path;
  let scheme = '';
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(rest);
  if (schemeMatch) {
    scheme = schemeMatch[1]!;
    rest = rest.slice(schemeMatch[0].length);
  }
  const root = /^[A-Za-z]:/.exec(rest)?.[0] ?? '';
  const lastSeparator = Math.max(rest.lastIndexOf('/'), rest.lastIndexOf('\\'));
  const directoryPath = lastSeparator === -1 ? '' : rest.slice(0, lastSeparator);
  let filename = rest.slice(lastSeparator + 1);
  if (lastSeparator === -1 && root) filename = rest.slice(root.length);
  let stream = '';
  const colon = filename.indexOf(':');
  if (colon !== -1) {
    stream = filename.slice(colon + 1);
    filename = filename.slice(0, colon);
  }
  const dot = filename.lastIndexOf('.');
  const directoryName = directoryPath.split(/[\\/]/).pop() ?? '';
  return {
    Scheme: scheme,
    RootPath: root,
    DirectoryPath: directoryPath,
    DirectoryName: directoryName === root ? '' : directoryName,
    Filename: filename,
    Extension: dot === -1 ? '' : filename.slice(dot + 1),
    AlternateDataStreamName: stream,
  };
}

// ---------------------------------------------------------------------------------------------
// parse_url, parse_urlquery

/** Query text (`k1=v1&k2=v2`) → bag of URL-decoded values; the last of repeated keys wins. */
export function parseQueryParameters(query: string): { [key: string]: DynamicValue } {
  const out: { [key: string]: DynamicValue } = {};
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = urlDecode(eq === -1 ? pair : pair.slice(0, eq));
    out[key] = eq === -1 ? '' : urlDecode(pair.slice(eq + 1));
  }
  return out;
}

const URL_PATTERN = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

/**
 * parse_url(url): Scheme, Host, Port (text), Path, Username, Password, Query Parameters (bag),
 * Fragment. Text that is not an absolute URL gives an empty bag [UNCERTAIN: Kusto's exact output for
 * invalid URLs is undocumented].
 */
export function parseUrl(url: string): { [key: string]: DynamicValue } {
  const m = URL_PATTERN.exec(url.trim());
  if (!m) return {};
  return {
    Scheme: m[1]!,
    Host: m[4]!,
    Port: m[5] ?? '',
    Path: m[6]!,
    Username: m[2] ?? '',
    Password: m[3] ?? '',
    'Query Parameters': parseQueryParameters(m[7] ?? ''),
    Fragment: m[8] ?? '',
  };
}

// ---------------------------------------------------------------------------------------------
// parse_command_line (Windows rules: CommandLineToArgvW)

/**
 * Splits a Windows command line as CommandLineToArgvW does: the program name ends at whitespace or
 * at its closing quote, with no escapes; then 2n backslashes before a quote give n backslashes and a
 * quote toggle, 2n+1 give n backslashes and a literal quote, `""` inside quotes is a literal quote.
 */
export function windowsArgv(commandLine: string): string[] {
  const args: string[] = [];
  let i = 0;
  const n = commandLine.length;
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t';
  while (i < n && isSpace(commandLine[i])) i++;
  if (i >= n) return args;
  let program = '';
  if (commandLine[i] === '"') {
    const close = commandLine.indexOf('"', i + 1);
    program = close === -1 ? commandLine.slice(i + 1) : commandLine.slice(i + 1, close);
    i = close === -1 ? n : close + 1;
  }
  while (i < n && !isSpace(commandLine[i])) program += commandLine[i++];
  args.push(program);
  while (true) {
    while (i < n && isSpace(commandLine[i])) i++;
    if (i >= n) return args;
    let arg = '';
    let quoted = false;
    while (i < n && (quoted || !isSpace(commandLine[i]))) {
      let slashes = 0;
      while (commandLine[i] === '\\') { slashes++; i++; }
      if (commandLine[i] === '"') {
        arg += '\\'.repeat(Math.floor(slashes / 2));
        if (slashes % 2 === 1) { arg += '"'; i++; continue; }
        if (quoted && commandLine[i + 1] === '"') { arg += '"'; i += 2; continue; }
        quoted = !quoted;
        i++;
      } else {
        arg += '\\'.repeat(slashes);
        if (i < n && (quoted || !isSpace(commandLine[i]))) arg += commandLine[i++];
      }
    }
    args.push(arg);
  }
}

function parseCommandLine(): ScalarFunction {
  return defineScalar({
    name: 'parse_command_line',
    minArgs: 2,
    maxArgs: 2,
    bind(args) {
      const err = checkArgs('parse_command_line', args, [STRING_OR_DYNAMIC, STRING]);
      if (err) return err;
      const parser = constantValue(args[1]);
      if (typeof parser === 'string' && parser.toLowerCase() !== 'windows') {
        return { error: `parse_command_line(): unknown parser '${parser}' (only "windows" is supported)`, argIndex: 1 };
      }
      return { type: 'dynamic' };
    },
    prepare(args) {
      return ([cmd, parser]) => (typeof parser === 'string' && parser.toLowerCase() === 'windows'
        ? windowsArgv(textOf(cmd!, args[0]!.type)) : null);
    },
  });
}

// ---------------------------------------------------------------------------------------------
// parse_version

/**
 * parse_version("a.b.c.d"): 1–4 parts of up to 8 digits, each padded to 8 digits and read as one
 * decimal number, so versions compare numerically; anything else → null. Note: decimals are held in a
 * double here, so the lowest parts lose precision when the major part is large (see docs/limitations).
 */
export function parseVersion(text: string): number | null {
  const parts = text.trim().split('.');
  if (parts.length < 1 || parts.length > 4 || !parts.every((p) => /^\d{1,8}$/.test(p))) return null;
  const digits = [...parts, ...Array<string>(4 - parts.length).fill('0')].map((p) => p.padStart(8, '0')).join('');
  return Number(digits);
}

export function parsingFunctions(): ScalarFunction[] {
  const textParser = (name: string, parse: (s: string) => DynamicValue) => simpleScalar({
    name,
    params: [STRING_OR_DYNAMIC],
    result: 'dynamic',
    kernel: (args) => ([v]) => parse(textOf(v!, args[0]!.type)),
  });
  return [
    textParser('parse_path', parsePath),
    textParser('parse_url', parseUrl),
    textParser('parseurl', parseUrl),
    textParser('parse_urlquery', (q) => ({ 'Query Parameters': parseQueryParameters(q.replace(/^\?/, '')) })),
    parseCommandLine(),
    simpleScalar({
      name: 'parse_version',
      params: [STRING_OR_DYNAMIC],
      result: 'decimal',
      kernel: (args) => ([v]) => parseVersion(textOf(v!, args[0]!.type)),
    }),
  ];
}

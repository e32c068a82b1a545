import { basename } from 'node:path';
import { type DbClient, withTransaction } from '@drop/db';
import { type ListFormat, type ListName, SHIPPED_LISTS } from '@drop/screening';
import { importListFiles } from './import-list-files.ts';

/** A download larger than this is refused (the full EU file is about 25 MB, OFSI's XML about 54 MB). */
export const DEFAULT_MAX_LIST_BYTES = 100 * 1024 * 1024;
export const DEFAULT_LIST_TIMEOUT_MS = 60_000;

export type ListRefreshOutcome =
  | { list: ListName; outcome: 'imported'; version: number; recordCount: number }
  /** Downloaded, but the same files as the current version. */
  | { list: ListName; outcome: 'unchanged'; version: number }
  /** The publisher answered 304 Not Modified to the validators of the last download. */
  | { list: ListName; outcome: 'not_modified' }
  /** The download or the file was refused: nothing changed but the list's last error. */
  | { list: ListName; outcome: 'failed'; error: string };

export interface RefreshListsOptions {
  /** Only these lists (default: every enabled list with a source URL). */
  lists?: readonly ListName[];
  /** Only lists whose last check is older than their refresh interval (the scheduled job); default false. */
  dueOnly?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  actor?: string;
  /** Node's fetch by default. */
  fetch?: typeof fetch;
}

interface ListSource {
  name: ListName;
  format: ListFormat;
  source_url: string;
  http_etag: string | null;
  http_last_modified: string | null;
}

/**
 * Downloads each enabled list from its publisher over HTTP and imports it when it changed. The
 * main file is asked for with the last download's validators (If-None-Match, If-Modified-Since);
 * a list of several files (OFAC's CSVs) fetches the others from beside it. Every download has a
 * deadline and a size cap. A failed download, an HTTP error or a file the parser refuses changes
 * nothing but the list's `last_error`; the validators are stored only with a successful import, so a
 * file that was refused is downloaded again next time.
 */
export async function refreshLists(db: DbClient, options: RefreshListsOptions = {}): Promise<ListRefreshOutcome[]> {
  const { rows: sources } = await db.query<ListSource>(
    `SELECT name, format, source_url, http_etag, http_last_modified FROM sanctions_lists
      WHERE enabled AND source_url IS NOT NULL
        AND ($1::text[] IS NULL OR name = ANY ($1::text[]))
        AND (NOT $2 OR last_checked_at IS NULL OR last_checked_at < now() - make_interval(mins => refresh_interval_minutes))
      ORDER BY name`,
    [options.lists ?? null, options.dueOnly ?? false],
  );
  const outcomes: ListRefreshOutcome[] = [];
  for (const source of sources) {
    let outcome: ListRefreshOutcome;
    try {
      outcome = await refreshList(db, source, options);
    } catch (error) {
      outcome = { list: source.name, outcome: 'failed', error: (error as Error).message };
      await db.query('UPDATE sanctions_lists SET last_checked_at = now(), last_error = $2 WHERE name = $1', [source.name, outcome.error]);
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

async function refreshList(db: DbClient, source: ListSource, options: RefreshListsOptions): Promise<ListRefreshOutcome> {
  const fileNames = listFileNames(source);
  const mainName = fileNames[0] ?? basename(new URL(source.source_url).pathname);
  const main = await download(source.source_url, options, {
    ...(source.http_etag ? { 'if-none-match': source.http_etag } : {}),
    ...(source.http_last_modified ? { 'if-modified-since': source.http_last_modified } : {}),
  });
  if (main.status === 304) {
    await db.query('UPDATE sanctions_lists SET last_checked_at = now(), last_error = NULL WHERE name = $1', [source.name]);
    return { list: source.name, outcome: 'not_modified' };
  }
  const files: Record<string, Buffer> = { [mainName]: main.body };
  for (const name of fileNames.slice(1)) {
    const sibling = await download(new URL(name, source.source_url).toString(), options, {});
    if (sibling.status !== 200) throw new Error(`${name}: HTTP ${sibling.status} to an unconditional request`);
    files[name] = sibling.body;
  }
  return withTransaction(db, async (tx) => {
    const [result] = await importListFiles(tx, [{ list: source.name, format: source.format, files }], {
      source: 'http',
      actor: options.actor ?? 'system',
    });
    if (!result) throw new Error(`${source.name}: nothing imported`);
    await tx.query(
      `UPDATE sanctions_lists SET http_etag = $2, http_last_modified = $3, last_checked_at = now(), last_error = NULL WHERE name = $1`,
      [source.name, main.etag, main.lastModified],
    );
    return result.imported
      ? { list: source.name, outcome: 'imported', version: result.version, recordCount: result.recordCount }
      : { list: source.name, outcome: 'unchanged', version: result.version };
  });
}

/** The files a list is published as, main one first: the names of the shipped copy, or the URL's own. */
function listFileNames(source: ListSource): string[] {
  const shipped = SHIPPED_LISTS.find((list) => list.list === source.name);
  const fromUrl = basename(new URL(source.source_url).pathname);
  if (!shipped || shipped.files.length === 0) return [fromUrl];
  const names = shipped.files.map((path) => basename(path));
  // The URL names the main file; the shipped copy's names say which others sit beside it.
  const lower = fromUrl.toLowerCase();
  const main = names.find((name) => name.toLowerCase() === lower);
  return names.length === 1 ? [main ?? names[0] ?? fromUrl] : [main ?? fromUrl, ...names.filter((name) => name !== main)];
}

async function download(
  url: string,
  options: RefreshListsOptions,
  headers: Record<string, string>,
): Promise<{ status: 200; body: Buffer; etag: string | null; lastModified: string | null } | { status: 304 }> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_LIST_BYTES;
  const response = await (options.fetch ?? fetch)(url, {
    headers: { 'user-agent': 'Drop sanctions list refresh', ...headers },
    redirect: 'follow',
    signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_LIST_TIMEOUT_MS),
  });
  if (response.status === 304) {
    await response.body?.cancel();
    return { status: 304 };
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`${url}: HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new Error(`${url}: ${declared} bytes is more than the ${maxBytes} allowed`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new Error(`${url}: more than the ${maxBytes} bytes allowed`);
    chunks.push(chunk);
  }
  return {
    status: 200,
    body: Buffer.concat(chunks),
    etag: response.headers.get('etag'),
    lastModified: response.headers.get('last-modified'),
  };
}

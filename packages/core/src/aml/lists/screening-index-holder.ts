import type { Db, DbClient } from '@drop/db';
import { type CurrentSnapshot, currentListVersions, type ListVersionRef, loadCurrentSnapshots } from './current-snapshots.ts';
import { LISTS_CHANGED_CHANNEL } from './import-list-snapshot.ts';

/** A pooled connection kept for LISTEN. */
type Listener = Exclude<DbClient, Db>;

export interface ScreeningIndexHolderOptions<Index> {
  /** Builds the in-memory index from the current snapshots (the matcher's `ScreeningIndex.build`). */
  build: (snapshots: readonly CurrentSnapshot[]) => Index | Promise<Index>;
  /** Hold a connection that LISTENs for new versions, so a new version is picked up at once (default true). */
  listen?: boolean;
  /**
   * How often `get()` asks the database which versions are current (one small query), for a
   * notification lost with a dropped connection or a process that does not listen. Default 10 s; 0
   * asks on every `get()`.
   */
  checkIntervalMs?: number;
  /** Told about a rebuild or a failed one; the previous index stays in use when a rebuild fails. */
  onRebuild?: (event: { versions: ListVersionRef[]; records: number; ms: number } | { error: Error }) => void;
}

export interface HeldIndex<Index> {
  index: Index;
  /** The list versions the index was built from (the key for a cache of screening results). */
  versions: ListVersionRef[];
}

/**
 * The in-memory screening index of one process, built from the current version of every list and
 * rebuilt when a new version lands, whichever process imported it: a LISTEN on
 * `drop_lists_changed` marks it out of date at once, and a cheap version check every few seconds
 * catches what a notification could miss. Building happens once at a time; callers meanwhile wait
 * for it on the first build and keep the previous index afterwards only if the rebuild fails.
 */
export class ScreeningIndexHolder<Index> {
  readonly #db: Db;
  readonly #options: Required<Omit<ScreeningIndexHolderOptions<Index>, 'onRebuild'>> &
    Pick<ScreeningIndexHolderOptions<Index>, 'onRebuild'>;
  #held: HeldIndex<Index> | undefined;
  #building: Promise<HeldIndex<Index>> | undefined;
  #outOfDate = true;
  #lastCheck = 0;
  #listener: Listener | undefined;
  #listening: Promise<void> | undefined;
  #closed = false;

  constructor(db: Db, options: ScreeningIndexHolderOptions<Index>) {
    this.#db = db;
    this.#options = { listen: true, checkIntervalMs: 10_000, ...options };
  }

  /** The index for the lists as they are now. */
  async get(): Promise<Index> {
    return (await this.current()).index;
  }

  /** The index with the list versions it was built from. */
  async current(): Promise<HeldIndex<Index>> {
    if (this.#closed) throw new Error('the screening index holder is closed');
    if (this.#options.listen) this.#listening ??= this.#listen();
    if (this.#held && !this.#outOfDate && Date.now() - this.#lastCheck >= this.#options.checkIntervalMs) {
      this.#lastCheck = Date.now();
      const versions = await currentListVersions(this.#db);
      if (!sameVersions(versions, this.#held.versions)) this.#outOfDate = true;
    }
    if (this.#held && !this.#outOfDate) return this.#held;
    this.#building ??= this.#rebuild().finally(() => {
      this.#building = undefined;
    });
    try {
      return await this.#building;
    } catch (error) {
      // A failed rebuild keeps the index there was (the next call tries again); with none, it throws.
      if (this.#held) return this.#held;
      throw error;
    }
  }

  /** The index, checked against the current versions now (not on the interval) and rebuilt if a version landed. */
  async upToDate(): Promise<Index> {
    if (this.#held && !this.#outOfDate) {
      this.#lastCheck = Date.now();
      if (!sameVersions(await currentListVersions(this.#db), this.#held.versions)) this.#outOfDate = true;
    }
    return this.get();
  }

  /** Marks the index out of date: the next `get()` rebuilds it. */
  invalidate(): void {
    this.#outOfDate = true;
  }

  /** Lets go of the listening connection and the index. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#listening?.catch(() => undefined);
    const listener = this.#listener;
    this.#listener = undefined;
    if (listener) {
      await listener.query(`UNLISTEN ${LISTS_CHANGED_CHANNEL}`).catch(() => undefined);
      listener.release();
    }
    this.#held = undefined;
  }

  async #rebuild(): Promise<HeldIndex<Index>> {
    const started = performance.now();
    // Marked up to date before reading: a version landing while this build runs marks it out of date again.
    this.#outOfDate = false;
    try {
      const snapshots = await loadCurrentSnapshots(this.#db);
      const versions = snapshots.map((s) => ({ list: s.list, version: s.version, id: s.versionId }));
      const held = { index: await this.#options.build(snapshots), versions };
      this.#held = held;
      this.#lastCheck = Date.now();
      this.#options.onRebuild?.({
        versions,
        records: snapshots.reduce((n, s) => n + s.records.length, 0),
        ms: performance.now() - started,
      });
      return held;
    } catch (error) {
      this.#outOfDate = true;
      this.#options.onRebuild?.({ error: error as Error });
      throw error;
    }
  }

  async #listen(): Promise<void> {
    let client: Listener | undefined;
    try {
      client = await this.#db.connect();
      client.on('notification', (message) => {
        if (message.channel === LISTS_CHANGED_CHANNEL) this.#outOfDate = true;
      });
      client.on('error', () => this.#lostListener());
      await client.query(`LISTEN ${LISTS_CHANGED_CHANNEL}`);
      if (this.#closed) {
        client.release();
        return;
      }
      this.#listener = client;
      // Anything that landed before LISTEN took effect is caught by the version check of the next get().
      this.#lastCheck = 0;
    } catch {
      client?.release(true);
      this.#listening = undefined; // the version check carries on; the next get() tries again
    }
  }

  #lostListener(): void {
    const listener = this.#listener;
    this.#listener = undefined;
    this.#listening = undefined;
    this.#outOfDate = true;
    listener?.release(true);
  }
}

function sameVersions(a: readonly ListVersionRef[], b: readonly ListVersionRef[]): boolean {
  return a.length === b.length && a.every((ref, index) => ref.id === b[index]?.id);
}

export { changedRecords, type ListDelta } from './changed-records.ts';
export { type CurrentSnapshot, currentListVersions, type ListVersionRef, loadCurrentSnapshots } from './current-snapshots.ts';
export { groupListFiles, importListFiles, type ListFiles } from './import-list-files.ts';
export {
  digestListFiles,
  type ImportListOptions,
  importListSnapshot,
  KEPT_LIST_VERSIONS,
  LISTS_CHANGED_CHANNEL,
  type ListImportResult,
  type ListImportSource,
} from './import-list-snapshot.ts';
export { importShippedLists, shippedListsMissing } from './import-shipped-lists.ts';
export { type ListStatus, listStatus } from './list-status.ts';
export {
  DEFAULT_LIST_TIMEOUT_MS,
  DEFAULT_MAX_LIST_BYTES,
  type ListRefreshOutcome,
  type RefreshListsOptions,
  refreshLists,
} from './refresh-lists.ts';
export { type HeldIndex, ScreeningIndexHolder, type ScreeningIndexHolderOptions } from './screening-index-holder.ts';

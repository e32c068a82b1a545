import { changedRecords, currentListVersions, importShippedLists, JOBS, refreshLists, rescreenSubjects } from '@drop/core';
import { defineTask } from './define-task.ts';

/** Hourly: download the lists that are due and import those that changed; a failure pages the team and changes nothing. */
export const refreshListsTask = defineTask({
  ...JOBS.refreshLists,
  async run(_payload, { db, logger, notifier }) {
    const outcomes = await refreshLists(db, { dueOnly: true });
    for (const outcome of outcomes) {
      if (outcome.outcome === 'failed') logger.warn(outcome, 'sanctions list refresh failed; the current version stays in use');
      else logger.info(outcome, 'sanctions list refreshed');
    }
    const failed = outcomes.filter((outcome) => outcome.outcome === 'failed');
    if (failed.length === 0) return;
    await notifier.send({
      kind: 'error_spike',
      severity: 'warning',
      title: 'Sanctions list refresh failed',
      detail:
        'Screening goes on against the current versions. `drop lists status` shows each list’s age and last error; a file can be imported by hand with `drop lists import`.',
      fields: Object.fromEntries(failed.map((outcome) => [outcome.list, outcome.outcome === 'failed' ? outcome.error.slice(0, 200) : ''])),
    });
  },
});

/** Once, on a database that has no lists yet: the shipped files, so screening has real lists from the start. */
export const importShippedListsTask = defineTask({
  ...JOBS.importShippedLists,
  async run(payload, { db, logger, signal }) {
    const started = performance.now();
    const results = await importShippedLists(db, { skip: payload.skip, signal });
    logger.info(
      {
        lists: results.map((result) => ({ list: result.list, version: result.version, records: result.recordCount })),
        ms: Math.round(performance.now() - started),
      },
      'shipped sanctions lists imported',
    );
  },
});

/**
 * After a list version lands (queued by the import): everyone screened again, recording matches on
 * the records that changed. This process's index must hold the new versions, so it is checked (and
 * rebuilt if need be) first; without screening services (a worker started without them) the job fails and is retried.
 */
export const rescreenSubjectsTask = defineTask({
  ...JOBS.rescreenSubjects,
  async run(_payload, { db, logger, aml, signal }) {
    if (!aml) throw new Error('continuous screening needs the screening services (startWorker({ aml }))');
    await aml.indexes.upToDate();
    const started = performance.now();
    const result = await rescreenSubjects(db, { screener: aml.screener, lists: { currentListVersions, changedRecords }, signal });
    logger.info({ ...result, ms: Math.round(performance.now() - started) }, 'continuous screening done');
  },
});

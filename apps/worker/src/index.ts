export { migrateDatabase } from './migrate-database.ts';
export { queueDepth } from './queue-depth.ts';
export { type DropTask, defineTask } from './tasks/define-task.ts';
export { migrateJobQueue, startWorker, type WorkerHandle } from './worker.ts';

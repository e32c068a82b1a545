export { migrateJobQueue, startWorker, type WorkerHandle } from './worker.ts';
export { defineTask, type DropTask } from './tasks/define-task.ts';
export { queueDepth } from './queue-depth.ts';

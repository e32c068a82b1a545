/**
 * Drop's AWS operations through the AWS SDK v3 (RDS, App Runner, ECR), for `drop aws …` and the
 * lead's `drop incident snapshot`. A subpath of @drop/integrations (`@drop/integrations/aws`), so
 * the server, which never calls AWS, does not load the SDK.
 */

export {
  describeService,
  listOperations,
  type PointServiceResult,
  planDescribeService,
  planPointServiceAtDatabase,
  planRollbackService,
  planStartDeployment,
  pointServiceAtDatabase,
  type RollbackResult,
  rollbackService,
  type ServiceView,
  startDeployment,
  waitForServiceRunning,
  withDatabaseHost,
} from './apprunner-service.ts';
export {
  type AwsCall,
  AwsCallError,
  type AwsClients,
  AwsOperationError,
  type AwsServiceName,
  type AwsSettings,
  createAwsClients,
  isRdsIdentifier,
  redactedInput,
  regionOfArn,
  runbookStamp,
  sendAws,
  type WaitOptions,
  waitUntil,
} from './clients.ts';
export { type ImageView, imageReference, isImage, listImages, planListImages } from './ecr-images.ts';
export {
  type DeleteInstanceOptions,
  deleteDbInstance,
  describeDbInstance,
  describeEvents,
  type InstanceView,
  type PointInTimeOptions,
  planDeleteDbInstance,
  planDescribeDbInstance,
  planDescribeEvents,
  planRestoreFromSnapshot,
  planRestoreToPointInTime,
  type RdsEvent,
  type RestorePlacement,
  restoreFromSnapshot,
  restoreToPointInTime,
  waitForInstanceAvailable,
  waitForInstanceDeleted,
} from './rds-instances.ts';
export {
  MONITORING_INTERVALS,
  type MonitoringOptions,
  planSetEnhancedMonitoring,
  setEnhancedMonitoring,
  setMasterUserPassword,
} from './rds-modify.ts';
export {
  type CopySnapshotOptions,
  type CreateSnapshotOptions,
  copySnapshotToRegion,
  createDbSnapshot,
  createForensicSnapshot,
  describeSnapshot,
  failoverSnapshotIdFor,
  type LatestSnapshot,
  latestAutomatedSnapshot,
  listSnapshots,
  planCopySnapshotToRegion,
  planCreateDbSnapshot,
  planLatestAutomatedSnapshot,
  SNAPSHOT_KINDS,
  type SnapshotKind,
  type SnapshotType,
  type SnapshotView,
  snapshotIdFor,
  waitForSnapshotAvailable,
} from './rds-snapshots.ts';
export { planPutCheckpoint, type S3CheckpointSettings, s3CheckpointStore } from './s3-checkpoints.ts';

export {
  type BuildServicesOptions,
  buildServices,
  LazyPayoutPartner,
  opsChecksSettings,
  type Services,
  workerServices,
} from './build-services.ts';

export { type BuildServicesOptions, buildServices, LazyPayoutPartner, type Services, workerServices } from './build-services.ts';

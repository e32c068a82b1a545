export { AML_RULE_COLUMNS, amlMonitoringEnabled, listAmlRules } from './list-aml-rules.ts';
export { pruneAmlAggregates } from './prune-aml-aggregates.ts';
export { setAmlMonitoring } from './set-aml-monitoring.ts';
export { updateAmlRule } from './update-aml-rule.ts';

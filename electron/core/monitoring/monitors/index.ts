// Runs in: main (core). Monitors: a model's reference data watched batch by batch, with alert rules.
export { addMonitor } from './add';
export { checkMonitor, type CheckOptions } from './check';
export { getMonitor, requireMonitor } from './read';
export { acknowledgeAlert, deleteMonitor, listAlerts } from './remove';
export { evaluateRule, formatRule, parseRule, RULE_METRICS, type AlertRule } from './rules';

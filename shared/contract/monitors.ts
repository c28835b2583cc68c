// Runs in: main and renderer (shared). The contract for monitors and their alerts: each method's summary, lock
// access (see common.ts) and input and output schemas.
import { z } from 'zod';
import { domainMethods, method, none } from './common';
import * as s from './schemas';

export const monitorsMethods = domainMethods<`monitors.${string}`>()({
  'monitors.list': method({
    access: 'read',
    summary: 'Monitors and their last status.',
    input: none,
    output: s.monitorsList,
  }),
  'monitors.add': method({
    access: 'write',
    summary:
      'Add a monitor: a reference, its batches (a folder or files), the columns that matter, alert rules; everything it names is checked first.',
    input: s.monitorAddInput,
    output: s.monitorDetail,
  }),
  'monitors.get': method({
    access: 'read',
    summary:
      "A monitor's settings, its timeline of checked batches (drift share, column scores, performance) and its alerts.",
    input: z.object({ name: s.monitorName }).strict(),
    output: s.monitorDetail,
  }),
  'monitors.check': method({
    access: 'write',
    summary:
      'Check the batches not yet checked (a changed file counts as new): a drift report each, the rules evaluated, alerts recorded, and retraining started when a rule asks.',
    input: z.object({ name: s.monitorName }).strict(),
    output: s.monitorCheckResult,
  }),
  'monitors.delete': method({
    access: 'write',
    summary: 'Delete a monitor with its batches and alerts (the reports it wrote stay).',
    input: z.object({ name: s.monitorName }).strict(),
    output: z.object({ deleted: z.boolean(), batches: z.number().int(), alerts: z.number().int() }),
  }),
  'monitors.alerts': method({
    access: 'read',
    summary: "Alerts, newest first: one monitor's or all; `open` leaves out the acknowledged.",
    input: z.object({ name: s.monitorName.optional(), open: z.boolean().default(false) }).strict(),
    output: z.object({ alerts: z.array(s.monitorAlert) }),
  }),
  'monitors.report': method({
    access: 'read',
    summary:
      "Write a monitor's timeline (drift share, column scores and performance per batch, batches, alerts) as a self-contained HTML report into reports/; never over an existing file.",
    input: z.object({ name: s.monitorName, file: z.string().min(1).max(300).optional() }).strict(),
    output: z.object({ path: z.string(), size: z.number().int() }),
  }),
  'monitors.acknowledge': method({
    access: 'write',
    summary: 'Mark an alert as seen.',
    input: z.object({ id: z.number().int().min(1) }).strict(),
    output: s.monitorAlert,
  }),
});

export * from './export-jobs-service';
export * from './export-jobs-stack';
export * from './job-table';
export * from './dataset-table';
export * from './idempotency-table';
export * from './export-bucket';
export * from './profile-store';
export * from './workflow/export-workflow';
export * from './auth/token-issuer';
export * from './function-defaults';
export * from './api/export-jobs-api';
export * from './jobs/job-starter';
export * from './jobs/execution-watcher';
export * from './jobs/job-event-publisher';
export * from './monitoring/export-jobs-monitoring';
export * from './membership-index';

export * from './query/dataset-query';

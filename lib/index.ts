export * from './export-jobs-service';
export * from './export-jobs-stack';
export * from './job-table';
export * from './idempotency-table';
export * from './export-bucket';

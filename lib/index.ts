export * from './export-jobs-service';
export * from './export-jobs-stack';
export * from './job-table';
export * from './idempotency-table';
export * from './export-bucket';
export * from './profile-store';
export * from './workflow/export-workflow';
export * from './auth/token-issuer';

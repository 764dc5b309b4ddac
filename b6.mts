import { bundleHandler } from './lib/bundling';
await bundleHandler('functions/handlers/api-public.ts', process.argv[2]!);

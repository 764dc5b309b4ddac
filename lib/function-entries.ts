/** Budgets in thousands of bytes (the stricter reading of "KB"). */
const KB = 1000;

/**
 * The handler file of every Lambda function and its bundle budget (minified bytes). The stateless
 * stack builds each function from here and `bench/bundles.ts` measures the same list.
 */
export const FUNCTION_ENTRIES = {
  /** Served to the internet; its cold start is what people following an email link wait for. */
  apiPublic: { entry: 'functions/handlers/api-public.ts', budgetBytes: 450 * KB },
  apiPrivileged: { entry: 'functions/handlers/api-privileged.ts' },
  /**
   * The console's pages and its sign-in: people wait for its cold start after signing in. Split
   * into a start and the console's chunk (lib/bundling.ts), it reads 150 KB at start, not 485 KB,
   * and the chunks' imports and exports add about 20 KB to the whole.
   */
  console: { entry: 'functions/handlers/console.ts', budgetBytes: 525 * KB },
  sesEvents: { entry: 'functions/handlers/ses-events.ts' },
  campaignWorker: { entry: 'functions/handlers/campaign-worker.ts' },
  scheduler: { entry: 'functions/handlers/scheduler.ts' },
  feedbackRates: { entry: 'functions/handlers/feedback-rates.ts' },
} as const satisfies Record<string, { entry: string; budgetBytes?: number }>;

export type FunctionName = keyof typeof FUNCTION_ENTRIES;

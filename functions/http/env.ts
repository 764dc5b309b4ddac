import type { LambdaEvent } from 'hono/aws-lambda';
import type { Logger } from '../log';

/** Hono's typing of what every handler may read from the context. */
export interface AppEnv {
  Bindings: {
    /** Set by the Lambda adapter. */
    event?: LambdaEvent;
    /** Set by @hono/node-server in the local stack. */
    incoming?: { socket?: { remoteAddress?: string } };
  };
  Variables: { requestId: string; log: Logger };
}

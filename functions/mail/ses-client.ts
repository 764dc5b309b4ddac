import type { SESv2Client } from '@aws-sdk/client-sesv2';

/**
 * The SES SDK and client, loaded on first use. Most cold starts never send a mail (a one-click
 * unsubscribe, a preference page, an SES event, a rates run), and importing
 * `@aws-sdk/client-sesv2` costs a cold start 70–100 ms (`npm run bench -- cold-start`).
 */
export type SesSdk = typeof import('@aws-sdk/client-sesv2');

/** The SES client of one `Deps`: the same client on every call, built on the first. */
export type SesClientRef = () => Promise<SESv2Client>;

let sdk: Promise<SesSdk> | undefined;

export const loadSesSdk = (): Promise<SesSdk> => {
  // A failed import is not kept: the next mail tries again instead of the container failing for good.
  sdk ??= import('@aws-sdk/client-sesv2').catch((err: unknown) => {
    sdk = undefined;
    throw err;
  });
  return sdk;
};

/** How long one SES call may take; it is tried once (see below), so this is the call's worst case. */
export interface SesTimeouts {
  connectMs: number;
  requestMs: number;
}

/**
 * SES answers a send in well under a second, a bulk call of 50 in a few; 5 s marks a fault. A
 * call that times out reports its recipients `ses-outcome-unknown` (mail/bulk.ts) and a request
 * answers 503, instead of waiting on a service that does not answer.
 */
export const SES_TIMEOUT_DEFAULTS: SesTimeouts = { connectMs: 1000, requestMs: 5000 };

/**
 * `reuseMs`: how long after its latest request began a kept-alive connection may still carry a
 * send (mail/ses-connections.ts); the tests shorten it beside a local SES of short keep-alive.
 */
export function lazySesClient(options: { region: string; endpoint?: string; timeouts?: SesTimeouts; reuseMs?: number }): SesClientRef {
  const t = options.timeouts ?? SES_TIMEOUT_DEFAULTS;
  let client: Promise<SESv2Client> | undefined;
  return () => {
    // The pools with the SDK: node:https is loaded then, not at a cold start that sends nothing.
    client ??= Promise.all([loadSesSdk(), import('./ses-connections')]).then(
      ([{ SESv2Client }, { freshConnectionAgents }]): SESv2Client =>
        new SESv2Client({
          region: options.region,
          // Our own retry (mail/bulk.ts) decides what is safe to send again; the SDK's would also
          // retry timeouts, after which SES may already have sent the mail.
          maxAttempts: 1,
          // Without throwOnRequestTimeout the SDK only warns and waits on, up to its socket timeout.
          requestHandler: {
            connectionTimeout: t.connectMs,
            requestTimeout: t.requestMs,
            throwOnRequestTimeout: true,
            ...freshConnectionAgents(options.reuseMs),
          },
          ...(options.endpoint ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
        }),
      (err: unknown) => {
        client = undefined;
        throw err;
      },
    );
    return client;
  };
}

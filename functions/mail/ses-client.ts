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

export function lazySesClient(options: { region: string; endpoint?: string }): SesClientRef {
  let client: Promise<SESv2Client> | undefined;
  return () => {
    client ??= loadSesSdk().then(
      ({ SESv2Client }): SESv2Client =>
        new SESv2Client({
          region: options.region,
          // Our own retry (mail/bulk.ts) decides what is safe to send again; the SDK's would also
          // retry timeouts, after which SES may already have sent the mail.
          maxAttempts: 1,
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

/**
 * `npm start`: the whole backend on one machine, with embedded real parts (CONTRACT.md "The local
 * stack"): DynamoDB Local, the local SES v2 endpoint and inbox, the console's OpenID provider
 * (standing in for Cognito), and the same Hono app the Lambda functions serve. Ctrl-C or SIGTERM drains the campaign work in flight, then stops every child;
 * a stack killed outright takes its children with it.
 */

import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadBrands, loadConfig, loadLocalStackSettings } from '../functions/config';
import { normalizeEmail } from '../functions/core/email';
import { StartupError } from '../functions/core/errors';
import { createDeps } from '../functions/deps';
import { createApp } from '../functions/http';
import { unsubscribeUrl } from '../functions/mail/list-unsubscribe';
import { ensureTable } from '../functions/store/table';
import { computeFeedbackRates } from '../functions/use-cases/compute-feedback-rates';
import { CLAIM_TIMEOUT_MS } from '../functions/use-cases/deliver-batch';
import { resumeUnfinishedCampaigns } from '../functions/use-cases/resume-campaigns';
import { runInquirySchedule } from '../functions/use-cases/run-inquiry-schedule';
import { consoleRelyingParty, inProcessCampaignQueue } from '../functions/wiring';
import { serveHttp } from './local/http-server';
import { takeDataDirLock } from './local/lock';
import { LOCAL_ACCOUNTS, startOidcProvider } from './local/oidc-provider';
import { checkJava, checkPortFree, type RunningDynamo, type RunningSes, startDynamoDbLocal, startLocalSes } from './local/processes';
import { type LocalSecrets, loadOrCreateSecrets } from './local/secrets';

const say = (line: string) => process.stdout.write(`${line}\n`);
const within = (work: Promise<void>, ms: number) => Promise.race([work, new Promise<void>((r) => setTimeout(r, ms).unref())]);
const TABLE_NAME = 'privacy-backend-local';
const LOCAL_JOB_TIMEOUTS = { DYNAMODB_REQUEST_TIMEOUT_MS: '30000', DYNAMODB_MAX_ATTEMPTS: '3', SES_REQUEST_TIMEOUT_MS: '30000' };

async function main() {
  const inMemory = process.argv.includes('--in-memory');
  const settings = loadLocalStackSettings();
  const baseUrl = settings.PUBLIC_BASE_URL ?? `http://127.0.0.1:${settings.PORT}`;
  // Run in the reverse order of start: the HTTP server (nothing new comes in, what is in flight
  // finishes), the timers, the campaign queue (the batch being sent finishes), and only then the
  // local SES and DynamoDB Local, so that what drains can still mail and write down the result.
  const cleanups: (() => Promise<void> | void)[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => {});
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  // Nothing tells this process when the one that started it (npm's shell under `npm start`) is
  // killed outright, so it looks; its own children watch it in turn (local/processes.ts).
  const parent = process.ppid;
  const orphaned = setInterval(() => {
    if (process.ppid === parent) return;
    process.stderr.write('error: the process that started the local stack is gone; stopping\n');
    void stop(1);
  }, 1000);
  orphaned.unref();

  try {
    checkJava();
    await checkPortFree(settings.PORT, 'PORT');
    await checkPortFree(settings.DYNAMODB_PORT, 'DYNAMODB_PORT');
    await checkPortFree(settings.SES_PORT, 'SES_PORT');
    await checkPortFree(settings.OIDC_PORT, 'OIDC_PORT');
    // Validated before anything starts, so a bad brands file costs no child process.
    loadBrands(settings.BRANDS_FILE);

    const dataDir = inMemory ? undefined : resolve(settings.DATA_DIR);
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      cleanups.push(takeDataDirLock(dataDir, (l) => say(`note: ${l}`)));
    }
    const secrets = loadOrCreateSecrets(dataDir);
    const adminToken = settings.ADMIN_TOKEN ?? randomBytes(24).toString('base64url');
    const consolePassword = settings.CONSOLE_PASSWORD ?? randomBytes(12).toString('base64url');

    // The provider starts beside DynamoDB Local (it needs nothing of it) and is awaited before the
    // API, so that /health answers only once the console can sign in.
    const oidcStarting = startOidcProvider({
      port: settings.OIDC_PORT,
      password: consolePassword,
      clients: [{ clientId: 'console', redirectUris: [`${baseUrl}/console/callback`], postLogoutRedirectUris: [`${baseUrl}/console/signed-out`] }],
    });
    // Read below; a failure meanwhile must not surface as an unhandled rejection first.
    oidcStarting.catch(() => {});
    say(`starting DynamoDB Local on port ${settings.DYNAMODB_PORT} (${dataDir ? `data in ${dataDir}` : 'in memory'}) ...`);
    const dynamo: RunningDynamo = await startDynamoDbLocal({ port: settings.DYNAMODB_PORT, ...(dataDir ? { dataDir } : {}) });
    cleanups.push(() => dynamo.stop());
    dynamo.process.once('exit', (code) => {
      if (!stopping) {
        process.stderr.write(`error: DynamoDB Local stopped unexpectedly (exit code ${code})\n`);
        void stop(1);
      }
    });
    const ses: RunningSes = await startLocalSes({ port: settings.SES_PORT });
    cleanups.push(() => ses.stop());
    const oidc = await oidcStarting;
    cleanups.push(() => oidc.stop());

    const config = (extra: Record<string, string> = {}) =>
      loadLocalConfig(settings, baseUrl, secrets, adminToken, dynamo.endpoint, ses.endpoint, {
        CONSOLE_OIDC_ISSUER: oidc.issuer,
        CONSOLE_OIDC_CLIENT_ID: 'console',
        CONSOLE_OIDC_ALLOW_INSECURE: 'true',
        ...extra,
      });
    // Requests keep production's timeouts, so a store that does not answer gives a 503 within 5 s.
    const cfg = config();
    const deps = createDeps(cfg, consoleRelyingParty(cfg));
    // What runs without a waiting client (setup, the campaign worker, the schedules) waits longer:
    // DynamoDB Local, a JVM on a laptop, takes seconds over a call at times, and a campaign batch
    // whose result cannot be written after its mail left ends `interrupted`.
    const jobDeps = createDeps(config(LOCAL_JOB_TIMEOUTS));
    // Campaign work runs in this process, by the same runCampaign the SQS worker calls in AWS.
    const campaignQueue = inProcessCampaignQueue(jobDeps);
    deps.campaignQueue = campaignQueue;
    // A batch is what the send rate allows in about a second; the bound is for a store or SES that stopped answering.
    cleanups.push(() => within(campaignQueue.stop(), 30_000));
    const created = await ensureTable(jobDeps.db.client, TABLE_NAME);
    // Best effort: a failure here must not keep the stack from starting.
    const resumed = await resumeUnfinishedCampaigns(jobDeps, campaignQueue).catch((error) => {
      deps.logger.warn('resuming campaigns failed', { error });
      return [];
    });
    if (resumed.length) {
      // Claims the stopped process held settle once they are older than the claim timeout.
      const again = setTimeout(
        () => void resumeUnfinishedCampaigns(jobDeps, campaignQueue).catch((error) => deps.logger.warn('resuming campaigns failed', { error })),
        CLAIM_TIMEOUT_MS + 60_000,
      );
      again.unref();
      cleanups.push(() => clearTimeout(again));
    }
    const app = createApp(deps);
    const server = serveHttp(app.fetch, { port: settings.PORT, hostname: '127.0.0.1' });
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          // Requests in flight end within their timeouts; a connection that still holds on after that is cut.
          const cut = setTimeout(() => server.closeAllConnections(), 15_000);
          server.close(() => {
            clearTimeout(cut);
            r();
          });
        }),
    );
    // EventBridge Scheduler's part locally: the inquiry clock (reminders, expiry, officer digest).
    const schedule = setInterval(() => void runInquirySchedule(jobDeps).catch((error) => deps.logger.warn('inquiry schedule failed', { error })), 60_000);
    schedule.unref();
    cleanups.push(() => clearInterval(schedule));
    // The daily feedback-rates job, hourly here so that a local session sees it; its metric lines go
    // to the debug log instead of CloudWatch.
    const rates = setInterval(
      () =>
        void computeFeedbackRates(jobDeps, { emit: (line) => deps.logger.debug('feedback rates', { metrics: line }) }).catch((error) =>
          deps.logger.warn('feedback rates failed', { error }),
        ),
      3_600_000,
    );
    rates.unref();
    cleanups.push(() => clearInterval(rates));

    say('');
    say('Local stack is up.');
    say(`  API               ${baseUrl}  (health: ${baseUrl}/health)`);
    say(`  API reference     ${baseUrl}/docs  (OpenAPI: ${baseUrl}/openapi.json)`);
    say(`  Mail inbox (SES)  ${ses.endpoint}/  (JSON: ${ses.endpoint}/store)`);
    say(`  Contact form      ${baseUrl}/contact?brand=livlog`);
    say(`  Preference page   ${demoPreferencePage(deps, baseUrl)}  (demo address; real ones come in the mail after POST ${baseUrl}/v1/subscriptions)`);
    say(`  DynamoDB Local    ${dynamo.endpoint}  table ${TABLE_NAME} (${created})`);
    if (resumed.length) say(`  Campaigns         ${resumed.length} unfinished from the last run, resumed`);
    say(`  Console           ${baseUrl}/console  (sign in as ${Object.keys(LOCAL_ACCOUNTS).join(' or ')}, password ${consolePassword})`);
    say(`  OpenID provider   ${oidc.issuer}  (stands in for Cognito)`);
    say(`  SES feedback      POST ${baseUrl}/local/ses-events  (EventBridge SES event JSON, admin token)`);
    say(`  Admin token       ${adminToken}`);
    say('Press Ctrl-C to stop.');
  } catch (err) {
    if (err instanceof StartupError) {
      process.stderr.write(`error: ${err.message}\n`);
    } else {
      process.stderr.write(`error: the local stack could not start: ${(err as Error).message}\n`);
    }
    await stop(1);
  }
}

/** The preference page of demo@example.com for LivLog's newsletter (a GET changes nothing). */
function demoPreferencePage(deps: ReturnType<typeof createDeps>, baseUrl: string): string {
  const demo = normalizeEmail('demo@example.com');
  if (!demo.ok) throw new Error('demo address');
  return unsubscribeUrl(baseUrl, deps.tokens, { brand: 'livlog', emailId: deps.emailIdOf(demo.email), topic: 'newsletter' });
}

function loadLocalConfig(
  settings: ReturnType<typeof loadLocalStackSettings>,
  baseUrl: string,
  secrets: LocalSecrets,
  adminToken: string,
  dynamoEndpoint: string,
  sesEndpoint: string,
  extra: Record<string, string>,
) {
  return loadConfig({
    TABLE_NAME,
    AWS_REGION: 'ap-northeast-1',
    DYNAMODB_ENDPOINT: dynamoEndpoint,
    SES_ENDPOINT: sesEndpoint,
    PUBLIC_BASE_URL: baseUrl,
    ADMIN_AUTH: 'bearer',
    ADMIN_TOKEN: adminToken,
    TOKEN_KEYS: JSON.stringify(secrets.tokenKeys),
    TOKEN_SIGNING_KEY_ID: secrets.signingKeyId,
    EMAIL_PEPPER: secrets.emailPepper,
    // One process serves the public and the privileged routes here, so it holds the proof key too.
    CONSENT_PROOF_KEYS: JSON.stringify(secrets.consentProofKeys),
    CONSENT_PROOF_KEY_ID: secrets.consentProofKeyId,
    LOG_LEVEL: settings.LOG_LEVEL,
    ...(settings.CAMPAIGN_SEND_RATE ? { CAMPAIGN_SEND_RATE: String(settings.CAMPAIGN_SEND_RATE) } : {}),
    ...(settings.INTAKE_LIMIT_PER_IP ? { INTAKE_LIMIT_PER_IP: String(settings.INTAKE_LIMIT_PER_IP) } : {}),
    ...(settings.BRANDS_FILE ? { BRANDS_FILE: settings.BRANDS_FILE } : {}),
    ...extra,
  });
}

void main();

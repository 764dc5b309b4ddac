import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import bundledBrands from '../../functions/brands.json';
import { parseBrands } from '../../functions/core/brands';
import { buildStacks } from '../../lib/app';
import { readSettings } from '../../lib/settings';

const settingsOf = (context: Record<string, unknown>) => readSettings(new App({ context }).node);

describe('deployment settings from CDK context', () => {
  it('defaults to the brands of functions/brands.json: their domains for SES, their origins for CORS', () => {
    const s = settingsOf({});
    expect(s.sendingDomains).toEqual(['livlog.jp', 'livlog.xyz', 'cotogoto.ai', 'chroco.ooo']);
    expect(s.sesIdentityDomains).toEqual(s.sendingDomains);
    expect(s.corsOrigins).toEqual(['https://livlog.jp', 'https://livlog.xyz', 'https://cotogoto.ai', 'https://chroco.ooo']);
    expect(s.customerManagedKey).toBe(false);
    expect(s.customDomains).toEqual([]);
    expect(s.throttle).toEqual({ rateLimit: 50, burstLimit: 100 });
    expect(s.routeThrottles).toEqual({
      intake: { rateLimit: 5, burstLimit: 10 },
      links: { rateLimit: 50, burstLimit: 100 },
      privileged: { rateLimit: 20, burstLimit: 40 },
      console: { rateLimit: 20, burstLimit: 40 },
    });
    expect(s.functionEnv).toEqual({});
    expect(s.stage).toBe('development');
    expect(s.transactionalSenderRoles).toEqual([]);
  });

  it('reads the roles that may send transactional mail, as a list or a JSON array (for a name with a comma), and refuses a name IAM would not take', () => {
    expect(settingsOf({ transactionalSenderRoles: 'orders-mailer, security-notices' }).transactionalSenderRoles).toEqual(['orders-mailer', 'security-notices']);
    expect(settingsOf({ transactionalSenderRoles: '["ops,mail"]' }).transactionalSenderRoles).toEqual(['ops,mail']);
    expect(settingsOf({ transactionalSenderRoles: ['orders-mailer'] }).transactionalSenderRoles).toEqual(['orders-mailer']);
    expect(() => settingsOf({ transactionalSenderRoles: 'orders mailer' })).toThrow(/transactionalSenderRoles/);
  });

  it('reads values given on the command line as strings', () => {
    const s = settingsOf({
      customerManagedKey: 'true',
      sesIdentityDomains: 'none',
      throttleRate: '20',
      throttleIntakeRate: '2',
      throttleIntakeBurst: '4',
      throttlePrivilegedRate: '100',
      throttleConsoleRate: '5',
      campaignSendRate: '10',
      customDomains: JSON.stringify({ chroco: { domainName: 'privacy.chroco.ooo', certificateArn: 'arn:aws:acm:ap-northeast-1:1:certificate/x' } }),
    });
    expect(s.customerManagedKey).toBe(true);
    expect(s.sesIdentityDomains).toEqual([]);
    expect(s.throttle.rateLimit).toBe(20);
    expect(s.routeThrottles).toEqual({
      intake: { rateLimit: 2, burstLimit: 4 },
      links: { rateLimit: 50, burstLimit: 100 },
      privileged: { rateLimit: 100, burstLimit: 40 },
      console: { rateLimit: 5, burstLimit: 40 },
    });
    expect(s.functionEnv).toEqual({ CAMPAIGN_SEND_RATE: '10' });
    expect(s.customDomains).toEqual([{ brand: 'chroco', domainName: 'privacy.chroco.ooo', certificateArn: 'arn:aws:acm:ap-northeast-1:1:certificate/x' }]);
  });

  it('fails the synth naming the bad key', () => {
    expect(() => settingsOf({ publicBaseUrl: 'http://privacy.livlog.jp' })).toThrow(/publicBaseUrl/);
    expect(() => settingsOf({ alarmEmail: 'ops' })).toThrow(/alarmEmail/);
    expect(() => settingsOf({ throttleBurst: '-1' })).toThrow(/throttleBurst/);
    expect(() => settingsOf({ throttleIntakeRate: '0' })).toThrow(/throttleIntakeRate/);
    expect(() => settingsOf({ throttleLinksRate: 'fast' })).toThrow(/throttleLinksRate/);
    // API Gateway takes a whole number of requests as burst.
    expect(() => settingsOf({ throttlePrivilegedBurst: '2.5' })).toThrow(/throttlePrivilegedBurst: must be a whole number/);
    expect(() => settingsOf({ throttleConsoleRate: '-5' })).toThrow(/throttleConsoleRate/);
    expect(() => settingsOf({ customDomains: { example: { domainName: 'a.example', certificateArn: 'arn:x' } } })).toThrow(/unknown brand example/);
    expect(() => settingsOf({ customDomains: { livlog: { domainName: 'a.livlog.jp' } } })).toThrow(/customDomains\.livlog/);
  });

  describe('a production stage', () => {
    /** The bundled brands with every `TODO:` value filled in, as an operator would before going live. */
    const filled = () => parseBrands(JSON.parse(JSON.stringify(bundledBrands).replace(/"TODO: ?([^"]*)"/g, '"Filled $1"')));

    it('refuses to synth while a brands value begins with TODO:, naming each path', () => {
      const context = { stage: 'production' };
      expect(() => buildStacks(new App({ context }))).toThrow(/stage=production: brands values still begin with "TODO:"/);
      let message = '';
      try {
        settingsOf(context);
      } catch (err) {
        message = (err as Error).message;
      }
      for (const path of [
        'brands[0].sender.legalName.ja',
        'brands[0].sender.postalAddress.ja',
        'brands[0].sender.postalAddress.en',
        'brands[3].sender.legalName.ja',
      ]) {
        expect(message).toContain(path);
      }
      expect(message).not.toContain('brands[0].sender.legalName.en');
    });

    it('synths once every value is filled in; other stages accept TODO: values', () => {
      expect(readSettings(new App({ context: { stage: 'production' } }).node, filled()).stage).toBe('production');
      expect(settingsOf({ stage: 'staging' }).stage).toBe('staging');
      expect(() => settingsOf({ stage: 'Prod uction' })).toThrow(/context stage/);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { clientKeyOf } from '../../functions/core/client-ip';

describe('clientKeyOf (what a per-IP limit counts)', () => {
  it('counts an IPv4 address as itself, also when a dual-stack socket maps it', () => {
    expect(clientKeyOf('198.51.100.7')).toBe('198.51.100.7');
    expect(clientKeyOf('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(clientKeyOf('::FFFF:127.0.0.1')).toBe('127.0.0.1');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    const key = '2001:db8:85a3:8d3::/64';
    expect(clientKeyOf('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe(key);
    expect(clientKeyOf('2001:0db8:85a3:08d3::1')).toBe(key);
    expect(clientKeyOf('2001:DB8:85A3:8D3:ffff::')).toBe(key);
    expect(clientKeyOf('2001:db8:85a3:8d4::1')).not.toBe(key);
    expect(clientKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(clientKeyOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKeyOf('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });

  it('counts a missing or unreadable peer as one client, never as none', () => {
    expect(clientKeyOf(undefined)).toBe('unknown');
    expect(clientKeyOf('')).toBe('unknown');
    expect(clientKeyOf('not an address')).toBe('unknown');
    expect(clientKeyOf('203.0.113.9, 198.51.100.1')).toBe('unknown');
  });
});

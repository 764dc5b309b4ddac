import type { TokenService } from '../core/tokens';

/**
 * The unsubscribe link of one marketing mail: `/u/{token}`, where the token names brand,
 * recipient (emailId, never the address) and topic, and never expires. RFC 8058 wants both
 * headers, and DKIM must cover them (docs/operations.md).
 */
export function unsubscribeUrl(baseUrl: string, tokens: TokenService, claims: { brand: string; emailId: string; topic: string }): string {
  return `${baseUrl}/u/${tokens.sign('unsubscribe', { b: claims.brand, e: claims.emailId, t: claims.topic })}`;
}

export function listUnsubscribeHeaders(url: string, mailto?: string): { name: string; value: string }[] {
  const targets = [`<${url}>`, ...(mailto ? [`<mailto:${mailto}?subject=unsubscribe>`] : [])];
  return [
    { name: 'List-Unsubscribe', value: targets.join(', ') },
    { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
  ];
}

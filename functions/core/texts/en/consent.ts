import type { consent as ja } from '../ja/consent';

/** English: the same keys as the Japanese catalogue. Legal wording: see ja/consent.ts. */
export const consent: typeof ja = {
  confirm: 'I agree to receive emails about the selected topics from {brand}. I can unsubscribe at any time with the link in every email.',
  preferences: 'Send me only the emails from {brand} that I have chosen here.',
  'one-click': 'List-Unsubscribe=One-Click (RFC 8058) unsubscribe',
  'subscription-request': 'Subscription request to {brand} (pending confirmation by email)',
  api: 'Preferences changed through the API ({brand})',
};

import type { pages as ja } from '../ja/pages';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** English: the same keys as the Japanese catalogue (the type says so). */
export const pages: typeof ja = {
  layout: {
    siteFallback: 'Privacy',
    language: 'Language',
    languageNames: { ja: '日本語', en: 'English' },
    privacyPolicy: 'Privacy policy',
    contact: 'Contact us',
  },
  /** `1 December 2026`: day, month name, year, as British English writes it. */
  date: (year, month, day) => `${day} ${MONTHS[month - 1] ?? month} ${year}`,
  listSeparator: ', ',
  preferences: {
    title: 'Email preferences',
    address: 'Address',
    topicLegend: (topic) => `"${topic}" emails`,
    unsubscribeTopic: (topic) => `Unsubscribe from "${topic}"`,
    topicStopped: (topic) => `You no longer receive "${topic}" emails.`,
    saved: 'Your choices have been saved.',
    allStopped: (brand) => `All marketing email from ${brand} has stopped.`,
    legend: (brand) => `Emails you want from ${brand}`,
    states: {
      subscribed: 'Subscribed',
      pending: 'Awaiting confirmation (open the link in the confirmation email)',
      unsubscribed: 'Not subscribed',
    },
    optInNote: 'Ticking a topic you have not confirmed yet and saving sends you a confirmation email.',
    save: 'Save choices',
    allLegend: 'Unsubscribe from everything',
    unsubscribeAll: (brand) => `Unsubscribe from all ${brand} emails`,
    resubLegend: 'Resubscribe',
    resubscribe: (list) => `Resubscribe (${list})`,
    resubNone: 'There is no topic you confirmed before and left. To subscribe to a new topic, tick it above and save.',
  },
  confirm: {
    title: 'Confirm your subscription',
    intro: (brand) => `Please confirm that you want these emails from ${brand}:`,
    button: 'Confirm subscription',
    policyVersion: 'Privacy policy version',
  },
  confirmed: {
    title: 'You are subscribed',
    body: (brand) => `${brand} will send you these emails:`,
    manage: 'Change your email preferences',
  },
  confirmExpired: {
    body: 'Confirmation links are valid for 7 days. Enter your email address and we will send you a new one.',
    resend: 'Send a new confirmation email',
  },
  unusable: {
    title: 'This link cannot be used',
    body: 'This link can no longer be used to subscribe. Please contact us if you have questions.',
  },
  oneClick: {
    title: 'You have been unsubscribed',
    body: (brand, topic) => `You will no longer receive "${topic}" emails from ${brand}.`,
  },
  checkMail: {
    title: 'Check your mail',
    body: 'We received your request. Open the link in the confirmation email to complete it. If nothing arrives within a few minutes, look in your spam folder too.',
  },
  subscribe: {
    title: 'Subscribe to emails',
    brandLabel: 'Site',
    chooseBrand: 'Choose one',
    emailLabel: 'Email address',
    topicsLegend: 'Emails you want',
    submit: 'Subscribe',
  },
};

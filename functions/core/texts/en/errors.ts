import type { errors as ja } from '../ja/errors';
import { grouped } from '../numbers';

/** English: the same keys as the Japanese catalogue (the type says so). */
export const errors: typeof ja = {
  byCode: {
    'invalid-token': { title: 'This link is not valid', text: 'This link is not valid. Open the link from the email exactly as it is.' },
    'invalid-request': { title: 'Check what you sent', text: 'Some fields are missing or not valid.' },
    'not-found': { title: 'Page not found', text: 'There is no page at this address. Check the link, or go on from one of the links below.' },
    'payload-too-large': { title: 'What was sent is too large', text: 'What was sent is too large.' },
    'unsupported-media-type': { title: 'This could not be sent', text: 'This kind of submission is not accepted.' },
    'rate-limited': { title: 'Please wait a while', text: 'Too many requests from your network in a short time. Please try again later.' },
    unavailable: { title: 'Briefly unavailable', text: 'The service is briefly unavailable; nothing was changed. Please try again.' },
    unauthorized: { title: 'This page cannot be opened', text: 'You are not allowed to open this page.' },
    internal: { title: 'Something went wrong', text: 'Something went wrong on our side.' },
  },
  requestId: (id) => `If you contact us about this, please quote: ${id}`,
  expired: {
    title: 'This link has expired',
    inquiry: 'This link has expired. Please send your inquiry again.',
  },
  inquiryGone: {
    title: 'Inquiry not found',
    text: 'We cannot find this inquiry (it may have gone unconfirmed for 7 days). Please send it again.',
  },
  unknownSite: { title: 'No such site', text: 'There is no such site.' },
  wayOn: {
    site: (brand) => `Go to the ${brand} site`,
    contact: 'Contact form',
    sites: 'Go back to a site',
    preferences: 'Back to your email preferences',
  },
  form: {
    prefix: 'Error: ',
    summaryTitle: 'There is a problem',
    unreadable: 'Part of the form could not be read. Check it and send it again.',
  },
  fields: {
    brand: { invalid: 'Choose a site.' },
    type: { invalid: 'Choose what your inquiry is about.' },
    email: {
      missing: 'Enter your email address.',
      invalid: 'Enter an email address in the correct format, like name@example.com.',
    },
    name: { tooLong: (max) => `Your name must be ${grouped(max)} characters or fewer.` },
    message: {
      missing: 'Enter your message.',
      tooLong: (max) => `Your message must be ${grouped(max)} characters or fewer.`,
    },
    topics: {
      missing: 'Choose at least one kind of email.',
      invalid: 'Choose from the emails listed.',
    },
  },
};

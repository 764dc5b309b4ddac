import type { consoleAuth as ja } from '../ja/console-auth';

/** English: the same keys as the Japanese catalogue (the type says so). */
export const consoleAuth: typeof ja = {
  title: 'Console',
  signOut: 'Sign out',
  signIn: 'Sign in again',
  backToConsole: 'Back to the console',
  signInFailed: {
    title: 'The sign-in did not work',
    text: 'The sign-in could not be completed (it took too long, or its link was already used). Please sign in again.',
  },
  noRole: {
    title: 'This account cannot use the console',
    text: 'This account has neither the privacy officer nor the marketing role. Ask an administrator to give it one.',
  },
  csrf: {
    title: 'This action was not accepted',
    text: 'The form had expired or was sent from outside the console. Nothing was changed. Open the console again and repeat the action.',
  },
  signedOut: {
    title: 'You are signed out',
    text: 'You have signed out of the console.',
  },
};

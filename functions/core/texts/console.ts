import type { Locale } from '../brands';
import { consolePages as enConsole } from './en/console';
import { consoleAuth as enConsoleAuth } from './en/console-auth';
import { textsOf } from './index';
import { consolePages as jaConsole } from './ja/console';
import { consoleAuth as jaConsoleAuth } from './ja/console-auth';

/**
 * The catalogue with the console's areas: what the public and privileged functions read, and the
 * console's pages and sign-in. Apart so that only the console's function carries the console's
 * texts (a fifth of the catalogue); the same key check holds (test/unit/texts.test.ts).
 */
const ja = { ...textsOf('ja'), console: jaConsole, consoleAuth: jaConsoleAuth };
const en: typeof ja = { ...textsOf('en'), console: enConsole, consoleAuth: enConsoleAuth };

export type ConsoleTexts = typeof ja;

export const consoleTextsOf = (locale: Locale): ConsoleTexts => (locale === 'en' ? en : ja);

import type { ja } from '../ja';
import { consent } from './consent';
import { docs } from './docs';
import { errors } from './errors';
import { inquiries } from './inquiries';
import { pages } from './pages';

/** Every text shown in English, by area: the same keys as the Japanese catalogue. */
export const en: typeof ja = { pages, inquiries, errors, consent, docs };

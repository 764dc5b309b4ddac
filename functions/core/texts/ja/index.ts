import { consent } from './consent';
import { docs } from './docs';
import { errors } from './errors';
import { inquiries } from './inquiries';
import { pages } from './pages';

/** Every text shown in Japanese, by area. Its type is the key set every catalogue must have. */
export const ja = { pages, inquiries, errors, consent, docs };

/**
 * What may stand in a mail header (From, To, Reply-To, Subject, List-Unsubscribe…) and in an SES
 * tag: the one rule for every place that builds or checks one.
 */

// Every control character (C0, DEL, C1 with NEL U+0085) and the Unicode line and paragraph
// separators: any of them in a header either breaks it in two (header injection) or shows as
// garbage, and some mail clients treat NEL and the separators as line breaks.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const UNSAFE_RUNS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** Whether the text holds a control character or a line separator (also refused in addresses). */
export const unsafeForHeader = (s: string): boolean => UNSAFE.test(s);

/** The text made fit for a header: each run of unsafe characters becomes one space. */
export const flattenForHeader = (s: string): string => s.replace(UNSAFE_RUNS, ' ');

/** SES tag names and values: letters, digits, `_ - . @` only, up to 256 characters. */
export const toSesTag = (s: string): string => s.replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, 256);

/** `5000` → `5,000`: both catalogues group digits in threes with a comma. */
export const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+$)/g, ',');

/** Identifier formats of the sample. Numbers start at 1; a number wider than its padding simply grows. */

const numbered = (prefix: string, width: number) => (n: number) => `${prefix}${String(n).padStart(width, '0')}`;

export const memberId = numbered('M', 6);
export const orderId = numbered('O', 7);
export const productId = numbered('P', 4);
export const promotionId = numbered('PR', 2);
export const reviewId = numbered('R', 7);
export const sessionId = numbered('S', 9);
export const contactId = numbered('C', 7);

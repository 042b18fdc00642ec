/** What a DynamoDB call's input carries: a transaction's or a batch's items, else one. */
export function itemsCarried(input: {
  TransactItems?: unknown[];
  RequestItems?: Record<string, unknown[] | { Keys: unknown[] }>;
}): number {
  if (input.TransactItems) return input.TransactItems.length;
  if (!input.RequestItems) return 1;
  return Object.values(input.RequestItems).reduce(
    (sum: number, request) => sum + (Array.isArray(request) ? request.length : request.Keys.length),
    0,
  );
}

// The customer fields the rewards feature reads.
export interface CustomerRecordLike {
  id: string;
  shopId: string;
  shopifyId: string;
  balance: number;
}

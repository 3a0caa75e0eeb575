/** A price group: every cost of its users is multiplied by `priceMultiplier`. */
export interface UserGroup {
  name: string;
  /** Exact decimal string: "0.8" is a 20 % discount, "1.5" a surcharge, "0" free. */
  priceMultiplier: string;
  createdAt: number;
  updatedAt: number;
}

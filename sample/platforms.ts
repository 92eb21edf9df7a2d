import type { Weighted } from '../lib/random';

export interface Platform {
  id: string;
  name: string;
  type: 'web' | 'app' | 'marketplace';
  commissionPct: number;
}

/** Where orders come from, with each platform's share of orders. */
export const PLATFORMS: Weighted<Platform>[] = [
  [{ id: 'PL1', name: 'Own web shop', type: 'web', commissionPct: 0 }, 42],
  [{ id: 'PL2', name: 'Own app', type: 'app', commissionPct: 0 }, 30],
  [{ id: 'PL3', name: 'Coupang', type: 'marketplace', commissionPct: 10.8 }, 17],
  [{ id: 'PL4', name: 'Naver Smart Store', type: 'marketplace', commissionPct: 5.5 }, 11],
];

import { productId } from './ids';
import type { Random } from '../lib/random';

export interface Product {
  id: string;
  name: string;
  category: string;
  /** In won. */
  listPrice: number;
  premium: boolean;
}

/** Eight categories with the median price of their everyday products (won) and six kinds of goods each. */
const CATEGORIES = [
  { name: 'Fashion', medianPrice: 39_000, goods: ['T-shirt', 'Hoodie', 'Jeans', 'Sneakers', 'Coat', 'Dress'] },
  { name: 'Beauty', medianPrice: 24_000, goods: ['Sunscreen', 'Toner', 'Lip Tint', 'Serum', 'Cushion Foundation', 'Sheet Mask Set'] },
  { name: 'Electronics', medianPrice: 89_000, goods: ['Wireless Earbuds', 'Power Bank', 'Smart Watch', 'Speaker', 'Keyboard', 'Monitor'] },
  { name: 'Home', medianPrice: 32_000, goods: ['Duvet', 'Pillow', 'Towel Set', 'Desk Lamp', 'Storage Box', 'Rug'] },
  { name: 'Food', medianPrice: 18_000, goods: ['Kimchi 2kg', 'Ramen Multipack', 'Coffee Beans', 'Mandarin Box', 'Protein Bars', 'Rice 10kg'] },
  { name: 'Books', medianPrice: 16_000, goods: ['Novel', 'Cookbook', 'Workbook', 'Comic Set', 'Travel Guide', 'Picture Book'] },
  { name: 'Sports', medianPrice: 45_000, goods: ['Yoga Mat', 'Running Shoes', 'Dumbbell Set', 'Hiking Jacket', 'Tennis Racket', 'Cycling Gloves'] },
  { name: 'Kids', medianPrice: 27_000, goods: ['Building Blocks', 'Diapers', 'Plush Toy', 'Kids Backpack', 'Baby Lotion', 'Picture Puzzle'] },
] as const;

/** Premium products cost about this many times their everyday counterparts. */
const PREMIUM_MARKUP = 2.5;

/** Products that were sold but have since left the catalogue: order lines name them, products.csv does not. */
const DISCONTINUED_COUNT = 3;

/** Won prices end in hundreds. */
const roundPrice = (won: number) => Math.max(100, Math.round(won / 100) * 100);

export class Catalog {
  readonly products: Product[] = [];
  readonly premium: Product[];
  readonly discontinued: Product[] = [];
  readonly categories: string[] = CATEGORIES.map((category) => category.name);
  private readonly byCategory = new Map<string, Product[]>();
  private created = 0;

  constructor(random: Random) {
    for (const category of CATEGORIES) {
      const products = ['Everyday', 'Premium'].flatMap((line) =>
        category.goods.map((goods) => this.product(random, `${line} ${goods}`, category.name, category.medianPrice, line === 'Premium')),
      );
      this.products.push(...products);
      this.byCategory.set(category.name, products);
    }
    this.premium = this.products.filter((product) => product.premium);
    for (let n = 0; n < DISCONTINUED_COUNT; n++) {
      const category = random.pick(CATEGORIES);
      this.discontinued.push(this.product(random, `Old ${random.pick(category.goods)}`, category.name, category.medianPrice, false));
    }
  }

  inCategory(category: string): Product[] {
    return this.byCategory.get(category)!;
  }

  private product(random: Random, name: string, category: string, medianPrice: number, premium: boolean): Product {
    const id = productId(++this.created);
    const listPrice = roundPrice(random.logNormal(medianPrice * (premium ? PREMIUM_MARKUP : 1), 0.35));
    return { id, name, category, listPrice, premium };
  }
}

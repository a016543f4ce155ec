// Picks the next request of the mix by weight. Smooth weighted round-robin (as nginx does):
// deterministic, exact shares over any window, and no random-number cost on the hot path.
export interface Weighted {
  weight: number;
}

export class WeightedMix<T extends Weighted> {
  private readonly current: number[];
  private readonly totalWeight: number;

  constructor(private readonly items: readonly T[]) {
    if (items.length === 0) throw new Error('a request mix needs at least one request');
    this.current = items.map(() => 0);
    this.totalWeight = items.reduce((sum, item) => sum + item.weight, 0);
  }

  next(): T {
    if (this.items.length === 1) return this.items[0]!;
    let best = 0;
    for (let i = 0; i < this.items.length; i++) {
      this.current[i]! += this.items[i]!.weight;
      if (this.current[i]! > this.current[best]!) best = i;
    }
    this.current[best]! -= this.totalWeight;
    return this.items[best]!;
  }
}

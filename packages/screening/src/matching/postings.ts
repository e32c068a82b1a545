/**
 * An inverted index from a key (token, phonetic key, deletion, skeleton) to name ids. Built with
 * arrays, then frozen into two typed arrays: a few hundred thousand small arrays would otherwise
 * live in the heap for the life of the process and slow every garbage collection.
 */
export class Postings {
  private building: Map<string, number[]> | undefined = new Map();
  private slots = new Map<string, number>();
  private starts = new Int32Array(1);
  private ids = new Int32Array(0);

  add(key: string, id: number): void {
    if (key === '' || this.building === undefined) return;
    const list = this.building.get(key);
    if (list === undefined) this.building.set(key, [id]);
    else if (list[list.length - 1] !== id) list.push(id);
  }

  freeze(): void {
    if (this.building === undefined) return;
    let total = 0;
    for (const list of this.building.values()) total += list.length;
    this.starts = new Int32Array(this.building.size + 1);
    this.ids = new Int32Array(total);
    let slot = 0;
    let at = 0;
    for (const [key, list] of this.building) {
      this.slots.set(key, slot);
      this.starts[slot] = at;
      this.ids.set(list, at);
      at += list.length;
      slot++;
    }
    this.starts[slot] = at;
    this.building = undefined;
  }

  get size(): number {
    return this.slots.size;
  }

  /** Calls `visit` with every id posted under `key` (none if the key is unknown). */
  forEach(key: string, visit: (id: number) => void): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    const end = this.starts[slot + 1] as number;
    for (let k = this.starts[slot] as number; k < end; k++) visit(this.ids[k] as number);
  }
}

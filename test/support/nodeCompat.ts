// Vitest 5 targets Node 22+, but this project runs on Node 20, which lacks a few ES2024 built-ins
// that Vitest's reporters call (without them a failing test crashes the failure report).
// Imported by the Vitest configs, which run in Vitest's main process. Remove with Node 20.
type Group<K, T> = Map<K, T[]>;

if (typeof Map.groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true,
    writable: true,
    value: <K, T>(items: Iterable<T>, keyOf: (item: T, index: number) => K): Group<K, T> => {
      const groups: Group<K, T> = new Map();
      let index = 0;
      for (const item of items) {
        const key = keyOf(item, index++);
        const group = groups.get(key);
        if (group) group.push(item);
        else groups.set(key, [item]);
      }
      return groups;
    },
  });
}

if (typeof Object.groupBy !== 'function') {
  Object.defineProperty(Object, 'groupBy', {
    configurable: true,
    writable: true,
    value: <T>(items: Iterable<T>, keyOf: (item: T, index: number) => PropertyKey) =>
      Object.fromEntries(Map.groupBy(items, keyOf)),
  });
}

if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: <T>() => {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

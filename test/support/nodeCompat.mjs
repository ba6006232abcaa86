// Vitest 5 targets Node 22+, but this project runs on Node 20, which lacks a few ES2024 built-ins
// that Vitest's main process calls (without them a failing test crashes the failure report).
// Imported first by the Vitest configs. Plain JS so Vite's config loader takes it as is.
// Delete this file when the project moves to Node 22.

/** Defines `name` on `target` when the runtime lacks it. */
function polyfill(target, name, value) {
  if (typeof target[name] !== 'function') {
    Object.defineProperty(target, name, { configurable: true, writable: true, value });
  }
}

polyfill(Map, 'groupBy', (items, keyOf) => {
  const groups = new Map();
  let index = 0;
  for (const item of items) {
    const key = keyOf(item, index++);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
});

polyfill(Object, 'groupBy', (items, keyOf) => Object.fromEntries(Map.groupBy(items, keyOf)));

polyfill(Promise, 'withResolvers', () => {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
});

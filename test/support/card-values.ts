/** Every callback value on a card (an object, or its JSON text), wherever it is nested. */
export function callbackValues(card: unknown): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'callback' && o.value && typeof o.value === 'object') found.push(o.value as Record<string, unknown>);
      Object.values(o).forEach(walk);
    }
  };
  walk(typeof card === 'string' ? JSON.parse(card) : card);
  return found;
}

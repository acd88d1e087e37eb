/** Adds `value` to the list of `key`, creating the list on first use: grouping by partition, leader, topic. */
export function appendTo<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key);
  if (list === undefined) lists.set(key, [value]);
  else list.push(value);
}

/**
 * Stands in for the state population registry, which answers whether a
 * person is a child's parent. A real portal calls the registry's service
 * here; the reference server ships a demo registry on SQLite.
 */
export interface PopulationRegistry {
  /**
   * True when the registry records `parentIin` as a parent (or legal
   * guardian) of `childIin`. False when it does not, or does not know the
   * child. Rejects only when the registry cannot be asked at all.
   */
  isParentOf(parentIin: string, childIin: string): Promise<boolean>;
}

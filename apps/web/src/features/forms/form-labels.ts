/**
 * Translation keys of question types. The type codes (select_one…) are not keys as they
 * are: i18next would read "_one" as a plural ending.
 */
export function typeKey(type: string): string {
  return `forms.type.${type.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())}`;
}

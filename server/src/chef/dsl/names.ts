/** Chef's conversions between DSL names and class names. */

/** `apt_package` → `AptPackage` (Chef's convert_to_class_name). */
export function camel(snake: string): string {
  return snake.split('_').map((p) => (p ? p[0].toUpperCase() + p.slice(1) : '')).join('');
}

/** `AptPackage` → `apt_package` (Chef's convert_to_snake_case). */
export function snake(camelName: string): string {
  return camelName.replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').replace(/([a-z\d])([A-Z])/g, '$1_$2').toLowerCase();
}

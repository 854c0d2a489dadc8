/**
 * Imported first by the snapshot entry. The V8 context `node --build-snapshot` runs in lacks the
 * ES2023 change-array-by-copy methods (a run has them), and `node:http` calls `toSorted` while
 * loading. A stand-in covers the build; it is deleted before serialising, so runs use V8's own.
 */
import {startupSnapshot} from 'node:v8'

const proto = Array.prototype as unknown as Record<string, unknown>
if (startupSnapshot.isBuildingSnapshot() && typeof proto['toSorted'] !== 'function') {
  Object.defineProperty(proto, 'toSorted', {
    configurable: true,
    writable: true,
    value(this: unknown[], compare?: (a: unknown, b: unknown) => number): unknown[] {
      return [...this].sort(compare)
    },
  })
  startupSnapshot.addSerializeCallback(() => {
    delete proto['toSorted']
  })
}

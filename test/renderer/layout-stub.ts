/**
 * jsdom lays nothing out, so a virtualized list would see a 0 px viewport and render no rows. Give
 * the droplet table's scroll container a real-looking size; everything else stays 0.
 */
import { afterAll, beforeAll } from 'vitest'

export const VIEWPORT_HEIGHT = 600

export function stubTableViewport(): void {
  const height = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight')
  const width = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth')
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('dtable-scroll') ? VIEWPORT_HEIGHT : 0
      }
    })
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('dtable-scroll') ? 1100 : 0
      }
    })
  })
  afterAll(() => {
    if (height) Object.defineProperty(HTMLElement.prototype, 'clientHeight', height)
    if (width) Object.defineProperty(HTMLElement.prototype, 'clientWidth', width)
  })
}

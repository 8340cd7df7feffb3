/** Focus an element that a navigation is about to render (it may not exist for a frame or two). */
export function focusWhenPresent(id: string, framesLeft = 20): void {
  const element = document.getElementById(id)
  if (element) {
    element.focus()
    return
  }
  if (framesLeft > 0) requestAnimationFrame(() => focusWhenPresent(id, framesLeft - 1))
}

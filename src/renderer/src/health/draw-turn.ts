/**
 * When a host's charts are drawn: at once when their section is on screen, else in their turn in idle
 * time, one host per idle callback in the order they asked, so ten hosts' charts never block the frame
 * that shows the area (recharts costs a few ms a chart) and every host's charts are ready before the
 * operator scrolls to them. Also the section's width, from one ResizeObserver, so the charts are drawn
 * at a fixed size instead of each measuring itself.
 */
import { useEffect, useRef, useState, type RefObject } from 'react'

const waiting: Array<() => void> = []
let pumping = false

const idle: (run: () => void) => void =
  typeof requestIdleCallback === 'function' ? (run) => requestIdleCallback(run, { timeout: 1000 }) : (run) => setTimeout(run, 0)

function pump(): void {
  if (pumping) return
  pumping = true
  idle(() => {
    pumping = false
    waiting.shift()?.()
    if (waiting.length) pump()
  })
}

function enqueue(turn: () => void): () => void {
  waiting.push(turn)
  pump()
  return () => {
    const i = waiting.indexOf(turn)
    if (i >= 0) waiting.splice(i, 1)
  }
}

/**
 * [ref for the section, true once its charts may be drawn, the section's content width in px (0 until
 * measured)].
 */
export function useDrawTurn<T extends HTMLElement>(): [RefObject<T | null>, boolean, number] {
  const ref = useRef<T>(null)
  // without IntersectionObserver (tests in jsdom) the charts are drawn at once
  const [turn, setTurn] = useState(typeof IntersectionObserver === 'undefined')
  const [width, setWidth] = useState(0)
  useEffect(() => {
    const el = ref.current
    if (!el || typeof ResizeObserver === 'undefined') return
    const ro = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0].contentRect.width)
      if (w > 0) setWidth(w)
    })
    ro.observe(el)
    return () => ro.disconnect()
  }, [])
  useEffect(() => {
    const el = ref.current
    if (turn || !el) return
    const now = () => setTurn(true)
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && now(), { root: scrollParent(el) })
    io.observe(el)
    const leave = enqueue(now)
    return () => {
      io.disconnect()
      leave()
    }
  }, [turn])
  return [ref, turn, width]
}

function scrollParent(el: Element): Element | null {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const { overflowY } = getComputedStyle(p)
    if (overflowY === 'auto' || overflowY === 'scroll') return p
  }
  return null
}

/**
 * A shell's output into its xterm, with the acknowledgements main's flow control waits for. Each
 * terminals.data event is written as it arrives (no extra delay, so an echoed key shows at once), and
 * its bytes count as drawn once xterm has parsed them (the write callback). Acks are coalesced into one
 * terminals.ack per animation frame with the summed bytes: during a big `cat` the page is bound by
 * xterm's parsing and the per-frame redraw, and an ack per event (a WebSocket send, a pending call
 * with its timeout timer, a reply to parse) took time from both (bench:terminal). Frames
 * stop in a hidden or minimised window, so a timer sends the ack too if no frame comes soon: the shell
 * keeps flowing, slowly, while nobody looks. Main pauses above ~512 KB un-acked and resumes below
 * half of it, so an ack held for a frame (16 ms) never starves the page. A terminal is a stream: its
 * events come through the window's terminals StreamClient.
 */
import type { Terminal } from '@xterm/xterm'
import type { DropdeckApi } from '../../../shared/contract'
import { streamClient } from '../rpc/stream-client'

/** Longest an ack waits when no animation frame comes (hidden window). */
const ACK_FALLBACK_MS = 100

export function pipeTerminalOutput(api: DropdeckApi, term: Terminal, id: string): () => void {
  const terminals = streamClient(api, 'terminals')
  let parsed = 0
  let frame = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const ignore = () => undefined
  const sendAck = () => {
    cancelAnimationFrame(frame)
    clearTimeout(timer)
    frame = 0
    timer = undefined
    const bytes = parsed
    parsed = 0
    if (bytes > 0) terminals.ack(id, { bytes }).catch(ignore)
  }
  const countParsed = (bytes: number) => {
    parsed += bytes
    if (timer !== undefined) return
    frame = requestAnimationFrame(sendAck)
    timer = setTimeout(sendAck, ACK_FALLBACK_MS)
  }
  const off = terminals.listen(id, {
    data: (p) => {
      // The decoder's tail at a shell's end carries no bytes: nothing to acknowledge.
      if (p.bytes > 0) term.write(p.data, () => countParsed(p.bytes))
      else term.write(p.data)
    }
  })
  return () => {
    off()
    // What xterm parsed before the shell was replaced is still owed to the old one's flow control.
    if (timer !== undefined) sendAck()
  }
}

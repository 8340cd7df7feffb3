/** A side drawer (Radix Dialog): title, close button, and its content only while open. */
import * as Dialog from '@radix-ui/react-dialog'
import { X } from 'lucide-react'
import type { ReactNode } from 'react'

interface DrawerProps {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: string
  wide?: boolean
  children: ReactNode
}

export function Drawer({ open, onOpenChange, title, wide = false, children }: DrawerProps) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="drawer-overlay" />
        <Dialog.Content className={wide ? 'drawer drawer-wide' : 'drawer'} aria-describedby={undefined}>
          <header className="drawer-header">
            <Dialog.Title className="drawer-title">{title}</Dialog.Title>
            <Dialog.Close asChild>
              <button type="button" className="icon-button" aria-label={`Close ${title.toLowerCase()}`}>
                <X size={15} aria-hidden="true" />
              </button>
            </Dialog.Close>
          </header>
          {open && children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}

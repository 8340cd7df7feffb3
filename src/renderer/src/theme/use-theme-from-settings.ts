/** Applies the theme from settings, and follows the OS while the choice is 'system'. */
import { useEffect } from 'react'
import { useSettings } from '../rpc/queries'
import { applyTheme, onSystemThemeChange, rememberedTheme } from './apply-theme'

export function useThemeFromSettings(): void {
  const { data } = useSettings()
  const choice = data?.theme ?? rememberedTheme()

  useEffect(() => {
    applyTheme(choice)
    if (choice !== 'system') return
    return onSystemThemeChange(() => applyTheme('system'))
  }, [choice])
}

import { useEffect, useState } from 'react'
import { connectDefault } from './rpc/client'

const api = connectDefault()

export function App() {
  const [info, setInfo] = useState('')
  useEffect(() => {
    void api.call('app.info').then((i) => setInfo(`${i.name} ${i.version}`))
  }, [])
  return <div>{info}</div>
}

/**
 * TLS in front of a plain-HTTP provider stub, as a load balancer terminates it in front of an API: the
 * handshake uses the certificate the test chose (trusted, from another CA, expired, for another name),
 * and the decrypted bytes go unchanged to the stub. The stub's port is set once the stub runs, so the
 * front's address can go into the environment the stub's world is started with.
 */
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net'
import { createServer, type TLSSocket } from 'node:tls'

export interface TlsFront {
  address: string
  port: number
  /** https://address:port */
  url: string
  /** Where decrypted connections go (a stub on 127.0.0.1). */
  targetPort: number
  close(): Promise<void>
}

export async function startTlsFront(address: string, certificate: { key: string; cert: string }): Promise<TlsFront> {
  const sockets = new Set<Socket>()
  const server = createServer({ key: certificate.key, cert: certificate.cert }, (client: TLSSocket) => {
    const upstream = netConnect(front.targetPort, '127.0.0.1')
    sockets.add(upstream)
    upstream.once('close', () => sockets.delete(upstream))
    client.pipe(upstream).pipe(client)
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  // A refused handshake is what these tests are about: not an error of the front.
  server.on('tlsClientError', () => {})
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, address, resolve)
  })
  const { port } = server.address() as AddressInfo
  const front: TlsFront = {
    address,
    port,
    url: `https://${address}:${port}`,
    targetPort: 0,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      await closed
    }
  }
  return front
}

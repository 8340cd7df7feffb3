// When a Compose service can start its new version beside the old one (discoverServices' switchMode):
// only with no host port, exactly one container, and Compose's own container name (v1 `_`, v2 `-`).
import { describe, it, expect } from 'vitest'
import { discoverServices } from '../../src/main/deploys/service-discovery'
import { composeUpArgs } from '../../src/main/deploys/compose-cli'
import type { ListedContainer } from '../../src/main/deploys/host-docker'

const labels = { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web', 'com.docker.compose.project.working_dir': '/opt/shop', 'com.docker.compose.project.config_files': '/opt/shop/docker-compose.yml' }
const web = (name: string, over: Partial<ListedContainer> = {}): ListedContainer => ({ Id: name, Names: [`/${name}`], Image: 'shop/web:deploy_aaaaaaaa', ImageID: 'sha256:1', Labels: labels, State: 'running', Status: 'Up 1 minute (healthy)', Ports: [], HostConfig: { NetworkMode: 'shop_default' }, ...over })
const mode = (...containers: ListedContainer[]) => {
  const [svc] = discoverServices(containers)
  return { switchMode: svc.switchMode, gapReason: svc.gapReason }
}

describe('a Compose service\'s switch mode', () => {
  it('is gapless with one container named by Compose (v1 or v2) and no host port', () => {
    expect(mode(web('shop_web_1'))).toEqual({ switchMode: 'gapless', gapReason: null })
    expect(mode(web('shop-web-3'))).toEqual({ switchMode: 'gapless', gapReason: null })
  })
  it('stops then starts with container_name, a second container (even stopped), a published port or the host network', () => {
    expect(mode(web('shop-frontend'))).toEqual({ switchMode: 'stop-first', gapReason: 'it sets container_name, so Compose cannot run a second container beside it' })
    expect(mode(web('shop_web_1'), web('shop_web_2', { State: 'exited', Status: 'Exited (0) 1 hour ago' }))).toEqual({ switchMode: 'stop-first', gapReason: 'it has 2 containers; Compose recreates them in place' })
    expect(mode(web('shop_web_1', { Ports: [{ IP: '0.0.0.0', PrivatePort: 8080, PublicPort: 80, Type: 'tcp' }] })).gapReason).toBe('it publishes host port 80->8080/tcp')
    expect(mode(web('shop_web_1', { HostConfig: { NetworkMode: 'host' } })).gapReason).toMatch(/host network/)
  })
  it('starts beside with up --no-recreate --scale <service>=2 (v1 and v2)', () => {
    expect(composeUpArgs({ command: 'docker-compose', version: '1.29.2' }, 'shop', ['/opt/shop/docker-compose.yml'], '/s/o.yml', 'web', true)).toEqual(['docker-compose', '-p', 'shop', '-f', '/opt/shop/docker-compose.yml', '-f', '/s/o.yml', 'up', '-d', '--no-deps', '--no-recreate', '--scale', 'web=2', 'web'])
    expect(composeUpArgs({ command: 'docker compose', version: '2.24.6' }, 'shop', ['/opt/shop/docker-compose.yml'], '/s/o.yml', 'web', true).slice(-7)).toEqual(['--no-deps', '--no-recreate', '--scale', 'web=2', '--pull', 'never', 'web'])
  })
})

// The pure parts of deploys: which Compose a host has (from the outputs v1 and v2 really print), the
// `up` command and override file, services found from container lists, the recreate payload carrying
// only what the operator set on the container, the switch mode, image references and log demuxing.
import { describe, it, expect } from 'vitest'
import { composeUpArgs, overrideFile, parseComposeDetection } from '../../src/main/deploys/compose-cli'
import { discoverServices, listedHealth } from '../../src/main/deploys/service-discovery'
import { recreatePlan, switchMode } from '../../src/main/deploys/recreate-config'
import { demux, splitImage, type ContainerInspect, type ListedContainer } from '../../src/main/deploys/host-docker'
import { lockKey, publicLock, sq } from '../../src/main/deploys/host-state'
import { isLoginRefused, registryAuthHeader, registryOf } from '../../src/main/deploys/registry-auth'

describe('Compose detection', () => {
  // Captured: `docker compose version --short` (plugin 2.24.6; v2.0.x printed a leading v) and
  // `docker-compose version --short` (Debian 1.29.2). A docker CLI without the plugin prints its usage
  // on stderr, which the detection command drops.
  it('prefers the v2 plugin, reading both of its version styles', () => {
    expect(parseComposeDetection('@@v2\n2.24.6\n@@v1\n1.29.2\n')).toEqual({ command: 'docker compose', version: '2.24.6' })
    expect(parseComposeDetection('@@v2\nv2.0.1\n@@v1\n')).toEqual({ command: 'docker compose', version: '2.0.1' })
  })
  it('falls back to docker-compose v1, and to none', () => {
    expect(parseComposeDetection('@@v2\n@@v1\n1.29.2\n')).toEqual({ command: 'docker-compose', version: '1.29.2' })
    expect(parseComposeDetection('@@v2\n@@v1\n')).toBeNull()
  })
  it('builds `up` for one service with the override last; --pull never only where v2 has it', () => {
    const v2 = composeUpArgs({ command: 'docker compose', version: '2.24.6' }, 'odoo', ['/opt/odoo/docker-compose.yml'], '/root/.dropdeck/compose/odoo/odoo.override.yml', 'odoo')
    expect(v2).toEqual(['docker', 'compose', '-p', 'odoo', '-f', '/opt/odoo/docker-compose.yml', '-f', '/root/.dropdeck/compose/odoo/odoo.override.yml', 'up', '-d', '--no-deps', '--pull', 'never', 'odoo'])
    const v1 = composeUpArgs({ command: 'docker-compose', version: '1.29.2' }, 'odoo', ['a.yml'], 'o.yml', 'odoo')
    expect(v1).toEqual(['docker-compose', '-p', 'odoo', '-f', 'a.yml', '-f', 'o.yml', 'up', '-d', '--no-deps', 'odoo'])
  })
  it('writes an override that only pins the image, in the project file format version', () => {
    expect(overrideFile('web', 'dropdeck/web:deploy_aaaaaaaa', 'version: "3.8"')).toBe(
      'version: "3.8"\n# Written by Dropdeck: pins web to the deployed image. The project\'s own files are not edited.\nservices:\n  "web":\n    image: "dropdeck/web:deploy_aaaaaaaa"\n'
    )
  })
})

const listed = (over: Partial<ListedContainer>): ListedContainer => ({ Id: 'id', Names: ['/x'], Image: 'dropdeck/web:deploy_bbbbbbbb', ImageID: 'sha256:1', Labels: {}, State: 'running', Status: 'Up 2 minutes (healthy)', Ports: [], HostConfig: { NetworkMode: 'default' }, ...over })

describe('service discovery', () => {
  it('groups Compose containers by project and service, keeps plain containers by name, skips one-offs and temporary deploy containers', () => {
    const compose = (name: string, state: string) => listed({ Id: name, Names: [`/${name}`], State: state, Labels: { 'com.docker.compose.project': 'odoo', 'com.docker.compose.service': 'odoo', 'com.docker.compose.project.working_dir': '/opt/odoo', 'com.docker.compose.project.config_files': '/opt/odoo/docker-compose.yml,/opt/odoo/prod.yml' } })
    const found = discoverServices([
      compose('odoo-odoo-2', 'exited'),
      compose('odoo-odoo-1', 'running'),
      listed({ Id: 'run', Names: ['/odoo-odoo-run-1'], Labels: { 'com.docker.compose.project': 'odoo', 'com.docker.compose.service': 'odoo', 'com.docker.compose.oneoff': 'True' } }),
      listed({ Id: 'tax', Names: ['/tax-rules-service'], Ports: [{ IP: '0.0.0.0', PrivatePort: 9000, PublicPort: 9000, Type: 'tcp' }] }),
      listed({ Id: 'tmp', Names: ['/tax-rules-service-dropdeck-0123abcd'] })
    ])
    expect(found.map((s) => s.id)).toEqual(['compose:odoo/odoo', 'container:tax-rules-service'])
    expect(found[0]).toMatchObject({ kind: 'compose', project: 'odoo', name: 'odoo', repo: 'dropdeck/web', switchMode: 'stop-first', compose: { workingDir: '/opt/odoo', configFiles: ['/opt/odoo/docker-compose.yml', '/opt/odoo/prod.yml'] } })
    expect(found[0].container.Id).toBe('odoo-odoo-1') // the running one
    expect(found[1]).toMatchObject({ kind: 'container', name: 'tax-rules-service', switchMode: 'stop-first', gapReason: 'it publishes host port 9000->9000/tcp' })
  })
  it('reads health from the list status', () => {
    expect(listedHealth(listed({ Status: 'Up 3 minutes (unhealthy)' }))).toBe('unhealthy')
    expect(listedHealth(listed({ Status: 'Up 1 second (health: starting)' }))).toBe('starting')
    expect(listedHealth(listed({ Status: 'Up 3 minutes' }))).toBe('running')
    expect(listedHealth(listed({ State: 'exited', Status: 'Exited (1) 2 hours ago' }))).toBe('stopped')
  })
})

describe('the recreate payload', () => {
  const old: ContainerInspect = {
    Id: 'f00dfeedcafe0123456789',
    Name: '/shop',
    Image: 'sha256:old',
    Config: {
      Image: 'dropdeck/web:deploy_bbbbbbbb',
      Hostname: 'f00dfeedcafe',
      Cmd: ['/bin/sh', '-c', 'exec httpd'],
      Env: ['PATH=/bin', 'PORT=8080', 'PORT=15000', 'SECRET_MODE=prod'],
      Labels: { 'org.opencontainers.image.version': 'deploy_bbbbbbbb', team: 'shop' },
      WorkingDir: '/www',
      ExposedPorts: { '8080/tcp': {} },
      Healthcheck: { Test: ['CMD-SHELL', 'wget -q http://127.0.0.1:$PORT/health'], Interval: 5e8 }
    },
    HostConfig: { NetworkMode: 'shopnet', PortBindings: { '8080/tcp': [{ HostPort: '80' }] }, RestartPolicy: { Name: 'always' } },
    NetworkSettings: { Networks: { shopnet: { Aliases: ['shop', 'f00dfeedcafe'] }, monitoring: { Aliases: null } } },
    State: { Status: 'running', Running: true, ExitCode: 0 }
  }
  const image = { Image: '', Cmd: ['/bin/sh', '-c', 'exec httpd'], Env: ['PATH=/bin', 'PORT=8080'], Labels: { 'org.opencontainers.image.version': 'deploy_bbbbbbbb' }, WorkingDir: '/www', ExposedPorts: { '8080/tcp': {} } }

  it('keeps what the operator set (env, labels, health check, host config, networks) and drops the old image\'s defaults', () => {
    const plan = recreatePlan(old, image, 'dropdeck/web:deploy_aaaaaaaa', { 'com.dropdeck.deploy.id': 'abc' })
    expect(plan.refusal).toBeNull()
    expect(plan.body).toMatchObject({
      Image: 'dropdeck/web:deploy_aaaaaaaa',
      Env: ['PORT=15000', 'SECRET_MODE=prod'],
      Labels: { team: 'shop', 'com.dropdeck.deploy.id': 'abc' },
      Healthcheck: old.Config.Healthcheck,
      ExposedPorts: { '8080/tcp': {} },
      HostConfig: old.HostConfig,
      NetworkingConfig: { EndpointsConfig: { shopnet: { Aliases: ['shop'] } } }
    })
    for (const key of ['Cmd', 'WorkingDir', 'Hostname']) expect(plan.body).not.toHaveProperty(key)
    expect(plan.extraNetworks).toEqual([{ name: 'monitoring', endpoint: { Aliases: [] } }])
  })
  it('refuses a container sharing another\'s network namespace', () => {
    expect(recreatePlan({ ...old, HostConfig: { NetworkMode: 'container:vpn' } }, image, 'x:y', {}).refusal).toMatch(/shares another container's network/)
  })
  it('switches without a gap only when no host port is bound', () => {
    expect(switchMode('none', [])).toEqual({ mode: 'gapless', reason: null })
    expect(switchMode('bridge', ['80->8080/tcp']).mode).toBe('stop-first')
    expect(switchMode('host', []).reason).toMatch(/host network/)
  })
})

describe('small parts', () => {
  it('splits image references, registry ports and digests included', () => {
    expect(splitImage('registry.digitalocean.com/team/web:deploy_aaaaaaaa')).toEqual({ repo: 'registry.digitalocean.com/team/web', tag: 'deploy_aaaaaaaa' })
    expect(splitImage('localhost:5000/web')).toEqual({ repo: 'localhost:5000/web', tag: 'latest' })
    expect(splitImage('web@sha256:abc')).toEqual({ repo: 'web', tag: 'sha256:abc' })
  })
  it('demultiplexes docker\'s log frames', () => {
    const frame = (stream: number, text: string) => Buffer.concat([Buffer.from([stream, 0, 0, 0, 0, 0, 0, Buffer.byteLength(text)]), Buffer.from(text)])
    expect(demux(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]))).toBe('out\nerr\n')
    expect(demux(Buffer.from('plain tty text\n'))).toBe('plain tty text\n')
  })
  it('quotes for sh and names lock folders safely; a lock quiet past its timeout is stale', () => {
    expect(sq("it's")).toBe(`'it'\\''s'`)
    expect(lockKey('compose:odoo/odoo')).toBe('compose_odoo_odoo')
    const info = { deployId: 'd', hostId: 'h', serviceId: 's', who: 'w', machine: 'm', what: 'x', since: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:10:00Z', timeoutMs: 60_000 }
    expect(publicLock(info, Date.parse('2026-01-01T00:10:30Z')).stale).toBe(false)
    expect(publicLock(info, Date.parse('2026-01-01T00:11:30Z')).stale).toBe(true)
  })
})

describe('registry logins', () => {
  it('finds the registry of an image reference as docker does', () => {
    expect(registryOf('nginx')).toBe('docker.io')
    expect(registryOf('dropdeck/web')).toBe('docker.io')
    expect(registryOf('registry.digitalocean.com/team/web')).toBe('registry.digitalocean.com')
    expect(registryOf('127.0.0.1:5000/dropdeck/web')).toBe('127.0.0.1:5000')
    expect(registryOf('localhost/web')).toBe('localhost')
  })
  it('encodes X-Registry-Auth as URL-safe base64 JSON with its padding', () => {
    const header = registryAuthHeader({ username: 'u', password: 'p?>>', serveraddress: 'r.example' })
    expect(header).not.toMatch(/[+/]/)
    expect(header.length % 4).toBe(0)
    expect(JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'))).toEqual({ username: 'u', password: 'p?>>', serveraddress: 'r.example' })
  })
  it('tells a refused login from other pull failures, in the words registries and docker use', () => {
    expect(isLoginRefused('Head "http://127.0.0.1:41500/v2/dropdeck/web/manifests/deploy_aaaaaaaa": no basic auth credentials')).toBe(false)
    expect(isLoginRefused('unauthorized: authentication required')).toBe(true)
    expect(isLoginRefused('manifest for dropdeck/web:nope not found: manifest unknown')).toBe(false)
  })
})


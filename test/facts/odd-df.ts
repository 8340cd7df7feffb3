// A `df` for a bench host's PATH that prints odd output: seed 002's full root disk, the same disk
// bind-mounted at /var/lib/docker, a mount point with a space, a tmpfs, a pseudo filesystem with
// "-" for its capacity, and an unreadable mount's warning with exit 1 (as GNU df does).
import { writeFileSync } from 'node:fs'
import path from 'node:path'

export const ODD_DF = `#!/bin/sh
cat <<'OUT'
Filesystem     Type     1-blocks        Used   Available Capacity Mounted on
/dev/vda1      ext4  52521566208 50946424832  1575141376      98% /
/dev/vda1      ext4  52521566208 50946424832  1575141376      98% /var/lib/docker
/dev/sdb1      xfs  107317563392 94439456768 12878106624      89% /mnt/odoo data
tmpfs          tmpfs  1040445440           0  1040445440       0% /run
nsfs           nsfs            0           0           0        - /run/docker/netns/default
OUT
echo "df: /run/user/1000/doc: Operation not permitted" >&2
exit 1
`

export function writeOddDf(binDir: string): void {
  writeFileSync(path.join(binDir, 'df'), ODD_DF, { mode: 0o755 })
}

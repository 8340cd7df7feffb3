/**
 * The one-click infrastructure audit: generated from live data by main (report.generate), shown
 * here, and exported as Markdown or as a standalone HTML page to print to PDF. The HTML is Dropdeck's
 * own, escaped output with no scripts; its body is shown in the app's styles.
 */
import { Download, FileSearch } from 'lucide-react'
import { useContractMutation } from '../rpc/contract-queries'
import { ErrorNotice } from '../ui/ErrorNotice'

function download(name: string, type: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

const bodyOf = (html: string) => html.slice(html.indexOf('<body>') + 6, html.lastIndexOf('</body>'))

export function ReportPanel() {
  const generate = useContractMutation('report.generate')
  const exportMd = useContractMutation('report.generate', { onSuccess: (r) => download(`dropdeck-audit-${r.generatedAt.slice(0, 10)}.md`, 'text/markdown', r.content) })
  return (
    <section className="hpanel" aria-label="Audit report">
      <div className="hpanel-bar">
        <button type="button" className="button button-small button-primary" onClick={() => generate.mutate({ format: 'html' })} disabled={generate.isPending}>
          <FileSearch size={13} aria-hidden="true" />
          {generate.isPending ? 'Auditing…' : generate.data ? 'Generate again' : 'Generate audit report'}
        </button>
        {generate.data && (
          <>
            <button type="button" className="button button-small" onClick={() => exportMd.mutate({ format: 'markdown' })}>
              <Download size={13} aria-hidden="true" />
              Markdown
            </button>
            <button type="button" className="button button-small" onClick={() => download(`dropdeck-audit-${generate.data.generatedAt.slice(0, 10)}.html`, 'text/html', generate.data.content)}>
              <Download size={13} aria-hidden="true" />
              HTML (print to PDF)
            </button>
          </>
        )}
        <span className="faint small">Inventory, routing map and findings with fixes, from the providers and every connected host.</span>
      </div>
      {generate.isError && <ErrorNotice error={generate.error} title="The report could not be generated" />}
      {generate.data && <article className="report-doc" aria-label="Audit report content" dangerouslySetInnerHTML={{ __html: bodyOf(generate.data.content) }} />}
    </section>
  )
}

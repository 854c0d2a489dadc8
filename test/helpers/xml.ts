import {SaxesParser} from 'saxes'

/**
 * Parses `text` with saxes, a strict XML 1.0 parser (it checks every character and character
 * reference), and throws on the first well-formedness error. The SDKs, aws-cli (expat) and the
 * legacy jar all give up on an answer that is not well-formed XML.
 */
export function assertWellFormedXml(text: string): void {
  const parser = new SaxesParser()
  let failure: Error | undefined
  parser.on('error', (error) => {
    failure ??= error
  })
  parser.write(text).close()
  if (failure !== undefined) throw new Error(`not well-formed XML (${failure.message}): ${JSON.stringify(text.slice(0, 300))}`)
}

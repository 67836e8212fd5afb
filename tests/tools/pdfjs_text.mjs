// The text of a PDF as Firefox's viewer (pdf.js) gives it: the text items of
// each page joined, a newline where an item ends a line.
// usage: node pdfjs_text.mjs FILE.pdf   (pdfjs-dist from PDFJS_DIR/node_modules)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire((process.env.PDFJS_DIR ?? process.cwd()) + "/");
const pdfjs = await import(require.resolve("pdfjs-dist/legacy/build/pdf.mjs"));
const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(process.argv[2])), verbosity: 0 }).promise;
let text = "";
for (let n = 1; n <= doc.numPages; n++) {
  const content = await (await doc.getPage(n)).getTextContent();
  for (const item of content.items) text += item.str + (item.hasEOL ? "\n" : "");
  text += "\n";
}
process.stdout.write(text);

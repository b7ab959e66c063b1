// Hover cards and completion details are Markdown rendered to HTML; words in them can
// come from the draft itself (learned terms), so only plain formatting survives.

const ALLOWED = new Set([
  "P", "BR", "HR", "STRONG", "B", "EM", "I", "CODE", "PRE", "UL", "OL", "LI", "BLOCKQUOTE",
  "H1", "H2", "H3", "H4", "H5", "H6", "TABLE", "THEAD", "TBODY", "TR", "TH", "TD", "SPAN", "DIV", "DEL",
]);

/** Elements dropped with their content. */
const DROPPED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "OBJECT", "EMBED", "SVG", "MATH", "FORM"]);

export function sanitize(html: string): string {
  const template = document.createElement("template");
  template.innerHTML = html;
  clean(template.content);
  return template.innerHTML;
}

function clean(node: ParentNode): void {
  for (const child of Array.from(node.children)) {
    if (DROPPED.has(child.tagName.toUpperCase())) {
      child.remove();
      continue;
    }
    if (!ALLOWED.has(child.tagName)) {
      // Keep a link's or unknown element's text, drop the element.
      const text = document.createTextNode(child.textContent ?? "");
      child.replaceWith(text);
      continue;
    }
    for (const attr of Array.from(child.attributes)) {
      if (attr.name !== "class") child.removeAttribute(attr.name);
    }
    clean(child);
  }
}

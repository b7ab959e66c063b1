// Hover cards and completion details are Markdown rendered to HTML; words in them can
// come from the draft itself (learned terms), so only plain formatting survives, and
// links only to web pages (a source's page opens in a new tab when clicked).

const ALLOWED = new Set([
  "P", "BR", "HR", "STRONG", "B", "EM", "I", "CODE", "PRE", "UL", "OL", "LI", "BLOCKQUOTE",
  "H1", "H2", "H3", "H4", "H5", "H6", "TABLE", "THEAD", "TBODY", "TR", "TH", "TD", "SPAN", "DIV", "DEL", "A",
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
      // Keep an unknown element's text, drop the element.
      const text = document.createTextNode(child.textContent ?? "");
      child.replaceWith(text);
      continue;
    }
    const href = child.tagName === "A" ? child.getAttribute("href") ?? "" : "";
    for (const attr of Array.from(child.attributes)) {
      if (attr.name !== "class") child.removeAttribute(attr.name);
    }
    if (child.tagName === "A") {
      if (/^https?:\/\//i.test(href)) {
        child.setAttribute("href", href);
        child.setAttribute("target", "_blank");
        child.setAttribute("rel", "noopener noreferrer");
      } else {
        child.replaceWith(document.createTextNode(child.textContent ?? ""));
        continue;
      }
    }
    clean(child);
  }
}

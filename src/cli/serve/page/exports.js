// The chart's exports drawn by the page: a file download, and the current view as SVG
// (the DOT export is kg's own, through /api/dot).

export function download(name, blob) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

function escapeXml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);
}

export function svgOfView(cy) {
  const visible = cy.elements(':visible');
  const box = visible.boundingBox({ includeLabels: true });
  const pad = 20;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${box.x1 - pad} ${box.y1 - pad} ${box.w + 2 * pad} ${box.h + 2 * pad}" font-family="Helvetica, Arial, sans-serif">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#444c56"/></marker>' +
      '<marker id="arrow-path" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#d1242f"/></marker></defs>',
  ];
  for (const edge of visible.edges()) {
    const s = edge.sourceEndpoint();
    const t = edge.targetEndpoint();
    const dash = { dashed: ' stroke-dasharray="6,4"', dotted: ' stroke-dasharray="2,3"' }[edge.data('line')] || '';
    const marker = edge.hasClass('onpath') ? 'arrow-path' : 'arrow';
    const arrow = edge.data('arrow') === 'none' ? '' : ` marker-end="url(#${marker})"`;
    const colour = edge.hasClass('onpath') ? '#d1242f' : edge.data('status') === 'denied' ? '#7f7f7f' : '#444c56';
    parts.push(`<line x1="${s.x}" y1="${s.y}" x2="${t.x}" y2="${t.y}" stroke="${colour}" stroke-width="1.5"${dash}${arrow}/>`);
    const m = edge.midpoint();
    parts.push(`<text x="${m.x}" y="${m.y}" font-size="9" text-anchor="middle">${escapeXml(edge.data('label'))}</text>`);
  }
  for (const node of visible.nodes()) {
    const p = node.position();
    const colour = node.data('colour');
    const stroke = node.hasClass('onpath') ? '#d1242f' : '#57606a';
    const shape = node.data('shape');
    if (shape === 'ellipse') {
      parts.push(`<circle cx="${p.x}" cy="${p.y}" r="14" fill="${colour}" stroke="${stroke}"/>`);
    } else if (shape === 'diamond') {
      parts.push(`<polygon points="${p.x},${p.y - 14} ${p.x + 14},${p.y} ${p.x},${p.y + 14} ${p.x - 14},${p.y}" fill="${colour}" stroke="${stroke}"/>`);
    } else if (shape === 'hexagon') {
      const pts = [0, 1, 2, 3, 4, 5].map((i) => `${p.x + 14 * Math.cos((Math.PI / 3) * i)},${p.y + 14 * Math.sin((Math.PI / 3) * i)}`).join(' ');
      parts.push(`<polygon points="${pts}" fill="${colour}" stroke="${stroke}"/>`);
    } else {
      parts.push(`<rect x="${p.x - 14}" y="${p.y - 14}" width="28" height="28" fill="${colour}" stroke="${stroke}"/>`);
    }
    parts.push(`<text x="${p.x}" y="${p.y + 27}" font-size="11" text-anchor="middle">${escapeXml(node.data('name'))}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}

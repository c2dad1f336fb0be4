// The kinds' shapes and colours and the statuses' line styles, on the chart and in its
// legend.

// The kinds' shapes and colours, as kg's DOT export draws them.
const KINDS = {
  person: ['ellipse', '#cfe2f3'],
  organization: ['rectangle', '#fff2cc'],
  country: ['hexagon', '#d9ead3'],
  place: ['tag', '#eeeeee'],
  media: ['barrel', '#ead1dc'],
  event: ['diamond', '#fce5cd'],
  other: ['ellipse', '#ffffff'],
};
const OTHER_KIND = ['round-rectangle', '#f3f3f3'];
const STATUSES = [
  ['reported or confirmed', 'solid'],
  ['claimed or unconfirmed', 'dashed'],
  ['denied', 'dotted'],
];

export function kindStyle(kind) {
  return KINDS[kind] || OTHER_KIND;
}

export function drawLegend(legend, kindCounts) {
  legend.replaceChildren();
  const entry = (swatchClass, text, colour) => {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = swatchClass;
    if (colour) swatch.style.backgroundColor = colour;
    const label = document.createElement('span');
    label.textContent = text;
    item.append(swatch, label);
    legend.append(item);
  };
  for (const [kind, count] of Object.entries(kindCounts)) {
    if (!count) continue;
    const [shape, colour] = kindStyle(kind);
    entry('swatch ' + shape, kind, colour);
  }
  for (const [status, line] of STATUSES) entry('line ' + line, status);
  entry('line arrow', 'directed (symmetric: no arrowhead)');
  entry('line onpath', 'on the highlighted path');
}

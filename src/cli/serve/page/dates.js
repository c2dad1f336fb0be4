// kg's date spans ('2025-02-12', '2025-03', '..2025-06-29', '2024..2025') as day numbers,
// for the page's time window.

function dayOf(y, m, d) {
  return Math.floor(Date.UTC(y, m - 1, d) / 864e5);
}

function firstDay(text) {
  const [y, m, d] = text.split('-').map(Number);
  return dayOf(y, m || 1, d || 1);
}

function lastDay(text) {
  const [y, m, d] = text.split('-').map(Number);
  if (d) return dayOf(y, m, d);
  if (m) return dayOf(y, m + 1, 0);
  return dayOf(y, 12, 31);
}

export function span(date) {
  if (!date) return null;
  const [a, b] = date.includes('..') ? date.split('..') : [date, date];
  return [a ? firstDay(a) : -Infinity, b ? lastDay(b) : Infinity];
}

export function dayText(day) {
  return new Date(day * 864e5).toISOString().slice(0, 10);
}

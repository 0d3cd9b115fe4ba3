"""Bar charts as inline SVG written here: no library, no script, no font or file outside the page,
so the report opens from disk with no network and prints as drawn. Labels are Indonesian
numbers (102,36 %); a missing value is drawn as a label ("belum rilis"), never as zero."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from kinerja.publikasi import format as fmt

PALETTE = ("#1f5fa8", "#f28e2b", "#59a14f", "#b07aa1", "#9c755f")
FONT = "font-family:Arial,Helvetica,sans-serif"


@dataclass
class Series:
    name: str
    values: Sequence[float | None]  # bar lengths
    labels: Sequence[str] | None = None  # shown at the bar end (default: the value, formatted)


@dataclass
class Reference:
    value: float
    label: str


def _scale(value: float, ticks: int = 6) -> tuple[float, float]:
    """A round axis end and tick step covering ``value`` (0-120 by 20, 0-3.500 by 500, ...)."""
    value = max(value, 1.0)
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (m * magnitude / 10 for m in (1, 2, 2.5, 5, 10, 20, 25, 50, 100)):
        if value / step <= ticks:
            return -(-value // step) * step, step
    return value, value / ticks


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    head = f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(title)}" style="max-width:{width}px;{FONT}">'
    return head + f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"


def _legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    out = []
    for i, s in enumerate(series):
        out.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>')
        out.append(f'<text x="{x + 16:.1f}" y="{y + 1:.1f}" font-size="12">{escape(s.name)}</text>')
        x += 26 + 7.2 * len(s.name)
    return out


def horizontal(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    references: Sequence[Reference] = (),
    value_format: Callable[[float], str] = fmt.persen,
    missing: str = "belum rilis",
    width: int = 900,
    label_width: int = 330,
    wrap: int = 48,
) -> str:
    """Grouped horizontal bars, one group per category (long names wrapped on the left)."""
    n = max(1, len(series))
    bar, gap = 14, 10
    wrapped = []
    for c in categories:
        lines = textwrap.wrap(c, wrap) or [""]
        if len(lines) > 3:
            lines = lines[:2] + [textwrap.shorten(" ".join(lines[2:]), wrap, placeholder="…")]
        wrapped.append(lines)
    group_heights = [max(n * bar + 4, 14 * len(lines) + 4) for lines in wrapped]
    top = 34 + (20 if n > 1 else 0) + (16 if references else 0)
    height = top + sum(h + gap for h in group_heights) + 34
    values = [v for s in series for v in s.values if v is not None] + [r.value for r in references]
    vmax, step = _scale(max(values, default=100) * 1.05)
    plot_left, plot_right = label_width + 10, width - 90
    scale = (plot_right - plot_left) / vmax
    body = [f'<text x="0" y="18" font-size="15" font-weight="bold">{escape(title)}</text>']
    if n > 1:
        body += _legend(series, plot_left, 42)
    bottom = height - 28
    for k in range(int(round(vmax / step)) + 1):  # grid and axis labels
        value = k * step
        x = plot_left + value * scale
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}" stroke="#e3e3e3"/>')
        body.append(
            f'<text x="{x:.1f}" y="{bottom + 14}" font-size="11" text-anchor="middle" fill="#555">{escape(fmt.angka(value, 1))}</text>'
        )
    y = top
    for lines, h, ci in zip(wrapped, group_heights, range(len(categories)), strict=True):
        ty = y + h / 2 - 7 * (len(lines) - 1) + 4
        for j, line in enumerate(lines):
            body.append(f'<text x="{label_width}" y="{ty + 14 * j:.1f}" font-size="12" text-anchor="end">{escape(line)}</text>')
        by = y + (h - n * bar) / 2
        for si, s in enumerate(series):
            value = s.values[ci]
            label = s.labels[ci] if s.labels else (value_format(value) if value is not None else missing)
            color = PALETTE[si % len(PALETTE)]
            if value is None:
                body.append(
                    f'<text x="{plot_left + 4}" y="{by + bar - 3:.1f}" font-size="11" font-style="italic" fill="#a33">{escape(label or missing)}</text>'
                )
            else:
                w = max(0.0, value * scale)
                body.append(f'<rect x="{plot_left}" y="{by:.1f}" width="{w:.1f}" height="{bar - 2}" fill="{color}"/>')
                body.append(f'<text x="{plot_left + w + 4:.1f}" y="{by + bar - 3:.1f}" font-size="11">{escape(label)}</text>')
            by += bar
        y += h + gap
    for ref in references:
        x = plot_left + ref.value * scale
        body.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{bottom}" stroke="#c00" stroke-dasharray="5,3"/>')
        body.append(f'<text x="{x:.1f}" y="{top - 9}" font-size="11" text-anchor="middle" fill="#c00">{escape(ref.label)}</text>')
    return _svg(width, int(height), title, body)


def columns(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    references: Sequence[Reference] = (),
    value_format: Callable[[float], str] = fmt.persen,
    missing: str = "belum ada",
    width: int = 900,
    height: int = 340,
) -> str:
    """Grouped vertical columns, one group per category (e.g. the quarters)."""
    n = max(1, len(series))
    top = 40 + (18 if n > 1 else 0)
    bottom = height - 40
    left, right = 56, width - 20
    values = [v for s in series for v in s.values if v is not None] + [r.value for r in references]
    vmax, step = _scale(max(values, default=100) * 1.1)
    scale = (bottom - top) / vmax
    body = [f'<text x="0" y="18" font-size="15" font-weight="bold">{escape(title)}</text>']
    if n > 1:
        body += _legend(series, left, 44)
    for k in range(int(round(vmax / step)) + 1):
        value = k * step
        y = bottom - value * scale
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#555">{escape(fmt.angka(value, 1))}</text>'
        )
    slot = (right - left) / max(1, len(categories))
    bar = min(70.0, slot * 0.7 / n)
    for ci, category in enumerate(categories):
        x0 = left + ci * slot + (slot - bar * n) / 2
        for si, s in enumerate(series):
            value = s.values[ci]
            x = x0 + si * bar
            label = s.labels[ci] if s.labels else (value_format(value) if value is not None else missing)
            if value is None:
                body.append(
                    f'<text x="{x + bar / 2:.1f}" y="{bottom - 6}" font-size="11" text-anchor="middle" fill="#a33">{escape(label)}</text>'
                )
                continue
            h = value * scale
            body.append(
                f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar - 4:.1f}" height="{h:.1f}" fill="{PALETTE[si % len(PALETTE)]}"/>'
            )
            body.append(
                f'<text x="{x + (bar - 4) / 2:.1f}" y="{bottom - h - 5:.1f}" font-size="12" text-anchor="middle">{escape(label)}</text>'
            )
        body.append(
            f'<text x="{left + ci * slot + slot / 2:.1f}" y="{bottom + 18}" font-size="12" text-anchor="middle">{escape(category)}</text>'
        )
    for ref in references:
        y = bottom - ref.value * scale
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#c00" stroke-dasharray="5,3"/>')
        body.append(f'<text x="{right}" y="{y - 4:.1f}" font-size="11" text-anchor="end" fill="#c00">{escape(ref.label)}</text>')
    body.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#888"/>')
    return _svg(width, height, title, body)

"""A small week-by-week line chart of rates (0–100 %), drawn with QPainter.

QtCharts is not part of PySide6-Essentials, so the dashboard draws its own chart: weeks
"Tuần 1 … n" on the x axis, 0–100 % on the y axis, one coloured line per rate (a week without
data leaves a gap), the targets as thin dashed lines of the same colour, and a legend under
the plot. Colours follow the Okabe–Ito palette, which colour-blind readers can tell apart;
each line also has its own point marker so that the chart does not rely on colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = (
    "#0072B2",  # blue
    "#D55E00",  # vermilion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#8C6D00",  # dark yellow
    "#7F3C8D",
    "#3969AC",
    "#11A579",
)
MARKERS = ("circle", "square", "triangle", "diamond")
GRID_STEP = 20


@dataclass(frozen=True)
class RateSeries:
    code: str
    label: str
    values: tuple[float | None, ...]  # one per week, percent
    target: float | None = None
    color: str = ""


class RateChart(QWidget):
    """``set_data(["Tuần 1", …], [RateSeries, …])``; ``series()`` gives back what is drawn."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rateChart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAutoFillBackground(False)
        self._weeks: list[str] = []
        self._series: list[RateSeries] = []
        self.empty_text = self.tr("Chưa có số liệu theo tuần.")
        self.show_targets = True

    # -- data --------------------------------------------------------------------------------------

    def set_data(self, weeks: Sequence[str], series: Sequence[RateSeries]) -> None:
        self._weeks = list(weeks)
        self._series = [
            RateSeries(s.code, s.label, tuple(s.values), s.target, s.color or PALETTE[i % len(PALETTE)])
            for i, s in enumerate(series)
        ]
        self.setAccessibleDescription(self._describe())
        self.updateGeometry()
        self.update()

    def clear(self) -> None:
        self.set_data([], [])

    def series(self) -> list[RateSeries]:
        return list(self._series)

    def weeks(self) -> list[str]:
        return list(self._weeks)

    def _describe(self) -> str:
        """A text version of the chart (screen readers, tooltips)."""
        lines = []
        for s in self._series:
            values = ", ".join(
                f"{week}: {'—' if v is None else f'{v:.1f} %'.replace('.', ',')}"
                for week, v in zip(self._weeks, s.values)
            )
            lines.append(f"{s.label} — {values}")
        return "\n".join(lines)

    # -- geometry ----------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(640, 320)

    def minimumSizeHint(self) -> QSize:
        return QSize(320, 220)

    def _legend_rows(self, width: float, metrics: QFontMetrics) -> list[list[tuple[int, float]]]:
        """Legend items (series index, item width) flowed into rows no wider than ``width``."""
        rows: list[list[tuple[int, float]]] = [[]]
        used = 0.0
        for index, s in enumerate(self._series):
            item = 28 + metrics.horizontalAdvance(s.label) + 22
            if rows[-1] and used + item > width:
                rows.append([])
                used = 0.0
            rows[-1].append((index, min(item, width)))
            used += item
        return rows if rows[0] else []

    # -- painting ----------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        rect = QRectF(self.rect())
        painter.fillRect(rect, QColor("#ffffff"))
        font = QFont(self.font())
        painter.setFont(font)
        metrics = QFontMetrics(font)
        line_height = metrics.height()
        if not self._weeks or not self._series:
            painter.setPen(QColor("#666666"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return

        legend = self._legend_rows(rect.width() - 16, metrics)
        legend_height = len(legend) * (line_height + 6) + 6
        left = 12 + metrics.horizontalAdvance("100 %")
        top = 10 + line_height / 2
        right = 18
        bottom = line_height + 10 + legend_height
        plot = QRectF(left, top, max(10.0, rect.width() - left - right), max(10.0, rect.height() - top - bottom))

        # axes and grid
        grid_pen = QPen(QColor("#e2e2e2"), 1)
        axis_pen = QPen(QColor("#8a8a8a"), 1)
        painter.setPen(QColor("#444444"))
        for value in range(0, 101, GRID_STEP):
            y = self._y(plot, value)
            painter.setPen(axis_pen if value == 0 else grid_pen)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QColor("#444444"))
            text = f"{value} %"
            painter.drawText(
                QRectF(0, y - line_height / 2, left - 6, line_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        painter.setPen(axis_pen)
        painter.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.left(), plot.bottom()))

        count = len(self._weeks)
        step = plot.width() / count
        widest = max(metrics.horizontalAdvance(w) for w in self._weeks) + 8
        every = max(1, math.ceil(widest / step))
        painter.setPen(QColor("#444444"))
        for index, week in enumerate(self._weeks):
            x = self._x(plot, index, count)
            painter.setPen(axis_pen)
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4))
            if index % every == 0:
                painter.setPen(QColor("#444444"))
                painter.drawText(
                    QRectF(x - widest / 2 - 20, plot.bottom() + 5, widest + 40, line_height),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    week,
                )

        # targets (dashed), then the lines
        if self.show_targets:
            for s in self._series:
                if s.target is None:
                    continue
                color = QColor(s.color)
                color.setAlpha(150)
                pen = QPen(color, 1.2, Qt.PenStyle.DashLine)
                painter.setPen(pen)
                y = self._y(plot, s.target)
                painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        for number, s in enumerate(self._series):
            color = QColor(s.color)
            painter.setPen(QPen(color, 2.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            path = QPainterPath()
            drawing = False
            points = []
            for index, value in enumerate(s.values[:count]):
                if value is None:
                    drawing = False
                    continue
                point = QPointF(self._x(plot, index, count), self._y(plot, value))
                points.append(point)
                if drawing:
                    path.lineTo(point)
                else:
                    path.moveTo(point)
                    drawing = True
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            painter.setBrush(color)
            for point in points:
                self._marker(painter, point, MARKERS[number % len(MARKERS)], 4.0)

        # legend
        y = plot.bottom() + line_height + 14
        for row in legend:
            x = 8.0
            for index, item_width in row:
                s = self._series[index]
                color = QColor(s.color)
                painter.setPen(QPen(color, 2.4))
                middle = y + line_height / 2
                painter.drawLine(QPointF(x, middle), QPointF(x + 22, middle))
                painter.setBrush(color)
                self._marker(painter, QPointF(x + 11, middle), MARKERS[index % len(MARKERS)], 3.5)
                painter.setPen(QColor("#222222"))
                text = metrics.elidedText(s.label, Qt.TextElideMode.ElideRight, int(item_width - 28 - 4))
                painter.drawText(QRectF(x + 28, y, item_width - 28, line_height),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
                x += item_width
            y += line_height + 6

    @staticmethod
    def _x(plot: QRectF, index: int, count: int) -> float:
        return plot.left() + (index + 0.5) * plot.width() / count

    @staticmethod
    def _y(plot: QRectF, value: float) -> float:
        value = min(100.0, max(0.0, float(value)))
        return plot.bottom() - value / 100.0 * plot.height()

    @staticmethod
    def _marker(painter: QPainter, at: QPointF, kind: str, size: float) -> None:
        painter.save()
        pen = painter.pen()
        pen.setWidthF(1.0)
        pen.setColor(QColor("#ffffff"))
        painter.setPen(pen)
        if kind == "square":
            painter.drawRect(QRectF(at.x() - size, at.y() - size, 2 * size, 2 * size))
        elif kind == "triangle":
            painter.drawPolygon(QPolygonF([
                QPointF(at.x(), at.y() - size - 1),
                QPointF(at.x() - size - 1, at.y() + size),
                QPointF(at.x() + size + 1, at.y() + size),
            ]))
        elif kind == "diamond":
            painter.drawPolygon(QPolygonF([
                QPointF(at.x(), at.y() - size - 1),
                QPointF(at.x() + size + 1, at.y()),
                QPointF(at.x(), at.y() + size + 1),
                QPointF(at.x() - size - 1, at.y()),
            ]))
        else:
            painter.drawEllipse(at, size + 0.5, size + 0.5)
        painter.restore()

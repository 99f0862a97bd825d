"""The Financing page: the list of financing plans, and below it the payoff panel of the plan
selected (the first one until the patient picks another)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QVBoxLayout, QWidget

from ...core import models as m
from ...core.errors import RegenLogError
from ..widgets import heading
from .financing_panel import PayoffPanel


class FinancingPageView(QWidget):
    """Layout only: the list on top, the payoff of the selected plan under it."""

    def __init__(self, list_view: QWidget, panel_view: QWidget):
        super().__init__()
        self.panel_title = heading("Payoff", 2)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(16, 4, 16, 12)
        lower_layout.addWidget(self.panel_title)
        lower_layout.addWidget(panel_view, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(lower)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(list_view)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([200, 560])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)


class FinancingPageController(QObject):
    def __init__(self, session, formats, editors):
        super().__init__()
        from ..pages.registry import make_list

        self.session, self.formats = session, formats
        self.list_page = make_list(session, formats, editors, "financing_plan", "Financing",
                                   "financing plan")
        self.panel = PayoffPanel(formats, session.today)
        self.view = FinancingPageView(self.list_page.view, self.panel.view)
        self.panel.show_message("Choose a financing plan above to see its payoff.")
        table = self.list_page.view.table
        table.selectionModel().selectionChanged.connect(lambda *_a: self.show_selected())
        self.list_page.model.modelReset.connect(self._after_reset)
        session.bus.changed.connect(self._on_changed)

    # -- page protocol (the list does the rest) --------------------------------------------
    def load(self) -> None:
        self.list_page.load()
        self._after_reset()

    def new(self) -> None:
        self.list_page.new()

    def delete_selected(self) -> None:
        self.list_page.delete_selected()

    def focus_filter(self) -> None:
        self.list_page.focus_filter()

    # -- the payoff of the selected plan ---------------------------------------------------
    def show_selected(self) -> None:
        plan_id = self.list_page.selected_id()
        if plan_id is None:
            self.view.panel_title.setText("Payoff")
            self.panel.show_message("Choose a financing plan above to see its payoff.")
            return
        services = self.session.services
        try:
            plan = services.records.get(m.FinancingPlan, plan_id)
        except RegenLogError as error:  # moved to the trash meanwhile
            self.panel.show_message(str(error))
            return
        self.view.panel_title.setText(
            f"Payoff: {plan.lender}, {self.formats.money(plan.amount_cents)} financed on "
            f"{self.formats.date(plan.purchase_date)}"
        )
        self.panel.show_plan(plan, services.details.payments(plan.id), key=plan.id)

    def _after_reset(self) -> None:
        # The list keeps its selection across a refresh when it can; otherwise show the
        # first plan rather than an empty panel.
        if self.list_page.selected_id() is None and self.list_page.model.rowCount():
            self.list_page.view.table.selectRow(0)
        self.show_selected()

    def _on_changed(self, record_type: str) -> None:
        if record_type in ("*", "financing_plan") and self.list_page.model.loaded:
            self.show_selected()

"""Periods carry their months; figures are compared per month (issue 15, the data part)."""

from __future__ import annotations

import pytest

from mimpmap import DataError, periods
from mimpmap.model import parse_coverage, read_coverage

from .conftest import DATA, MINIMAL


@pytest.fixture(scope="module")
def data():
    return read_coverage(DATA)


@pytest.mark.parametrize("label,first,last", [
    ("Año 2020", "2020-01", "2020-12"), ("Año 2019", "2019-01", "2019-12"),
    ("Ene – Oct 2021", "2021-01", "2021-10"), ("Ene - Oct 2021", "2021-01", "2021-10"),
    ("Mar - Dic 2020", "2020-03", "2020-12"), ("set—nov 2022", "2022-09", "2022-11"),
])
def test_labels_name_their_months(label, first, last):
    assert periods.label_span(label) == (periods.month_index(first), periods.month_index(last))
    assert periods.month_text(periods.month_index(first)) == first


@pytest.mark.parametrize("label", ["Primer semestre", "Ene 2021", "Foo - Bar 2020", ""])
def test_other_labels_name_nothing(label):
    assert periods.label_span(label) is None


def test_every_shipped_period_has_the_months_of_its_label(data):
    for s in data.services:
        for p in s.periods:
            assert periods.span(p) == periods.label_span(p.label), (s.id, p.label)


def test_closures_are_recorded_only_where_a_footnote_says_the_service_was_suspended(data):
    closed = {s.id: [periods.closed(p) for p in s.periods] for s in data.services if periods.has_closures(s)}
    assert closed == {"cem": [3, 0], "cai": [4, 0]}
    for sid in closed:
        first = data.service(sid).periods[0]
        text = next(f.text for f in data.service(sid).footnotes if f.mark == first.note)
        assert "este servicio estuvo temporalmente suspendido" in text


def test_sau_per_month(data):
    sau = data.service("sau")
    c = periods.compare(sau, sau.figures[0])
    assert (round(c.before, 1), round(c.after, 1), round(c.percent, 1)) == (525.9, 500.9, -4.8)
    assert not c.open_only


def test_cai_per_calendar_month_and_per_month_open(data):
    cai = data.service("cai")
    calendar = periods.compare(cai, cai.figures[0])
    open_ = periods.compare(cai, cai.figures[0], open_only=True)
    assert round(calendar.percent, 1) == 44.3
    assert (round(open_.before, 2), round(open_.after, 1), round(open_.percent, 1)) == (215.75, 207.5, -3.8)
    assert open_.open_only


def test_every_service_monthly_change_agrees_with_its_figures_and_spans(data):
    for s in data.services:
        for fig in s.figures:
            c = periods.compare(s, fig)
            months = [periods.length(s.periods[0]), periods.length(s.periods[-1])]
            assert c.before * months[0] == pytest.approx(fig.values[0].value), s.id
            assert c.after * months[1] == pytest.approx(fig.values[-1].value), s.id
            assert (c.after > c.before) == (c.percent > 0), s.id


def test_a_period_of_unknown_length_is_not_compared():
    cov = parse_coverage(MINIMAL)
    assert periods.compare(cov.service("cai"), cov.service("cai").figures[0]) is None


def test_per_month_from_zero_has_no_percentage():
    assert periods.per_month(0, 12, 5, 10).percent is None
    with pytest.raises(ValueError):
        periods.per_month(1, 0, 1, 1)


def test_months_count_instead_of_from_and_to():
    text = MINIMAL.replace("{label: Año 2020}, {label: Ene - Oct 2021}",
                           "{label: Año 2020, months: 12}, {label: Ene - Oct 2021, months: 10}")
    cai = parse_coverage(text).service("cai")
    assert round(periods.compare(cai, cai.figures[0]).percent, 1) == 44.3


# --- refused --------------------------------------------------------------------------------------

BLOCK = """\
    periods:
      - label: Año 2020
        from: {start}
        to: {end}
      - {{label: Ene - Oct 2021, from: 2021-01, to: 2021-10}}
"""


def periods_problems(start="2020-01", end="2020-12", **extra) -> list[str]:
    block = BLOCK.format(start=start, end=end)
    for key, value in extra.items():
        block = block.replace("        to:", f"        {key}: {value}\n        to:", 1)
    text = MINIMAL.replace("    periods: [{label: Año 2020}, {label: Ene - Oct 2021}]\n", block)
    with pytest.raises(DataError) as info:
        parse_coverage(text, "x.yaml")
    return info.value.problems


def test_an_end_before_its_start_is_refused_with_its_line():
    (msg,) = periods_problems(start="2020-12", end="2020-01")
    assert msg.startswith("línea 12: servicio 'cai', periods n.º 1: ") and "to: 2020-01 es anterior a from: 2020-12" in msg


def test_a_span_the_label_contradicts():
    (msg,) = periods_problems(end="2020-10")
    assert "la etiqueta 'Año 2020' dice de 2020-01 a 2020-12, pero from/to dicen de 2020-01 a 2020-10" in msg


def test_overlapping_periods():
    text = MINIMAL.replace("{label: Año 2020}, {label: Ene - Oct 2021}",
                           "{label: A, from: 2020-01, to: 2021-02}, {label: Ene - Oct 2021, from: 2021-01, to: 2021-10}")
    with pytest.raises(DataError, match=r"servicio 'cai', periods: el periodo n\.º 1 \('A'\) y el n\.º 2 \('Ene - Oct 2021'\) se superponen"):
        parse_coverage(text)


@pytest.mark.parametrize("extra,expected", [
    ({"from": "2020-13"}, "'2020-13' no es un mes"),
    ({"months": 9}, "months: 9 no coincide con los 12 meses"),
    ({"months_closed": "[2020-04]"}, "months_closed necesita la nota al pie"),
    ({"months_closed": "[2021-04]", "note": "1/"}, "months_closed: 2021-04 fuera del periodo"),
    ({"months_closed": 12, "note": "1/"}, "un periodo sin ningún mes abierto"),
    ({"months_closed": "tres"}, "escriba cuántos meses"),
])
def test_bad_spans_and_closures(extra, expected):
    problems = periods_problems(**{k: v for k, v in extra.items() if k != "from"},
                                **({"start": extra["from"]} if "from" in extra else {}))
    assert any(expected in p for p in problems), problems


def test_a_date_instead_of_a_month():
    (msg,) = periods_problems(start="2020-01-01")
    assert "periods n.º 1, from: 2020-01-01: escriba solo año y mes, p. ej. 2020-01" in msg


def test_closures_against_the_label_when_from_and_to_are_absent():
    text = MINIMAL.replace("{label: Año 2020}", "{label: Año 2020, note: '1/', months_closed: 12}")
    with pytest.raises(DataError, match="un periodo sin ningún mes abierto"):
        parse_coverage(text)


# --- what a figure counts, and how it is compared (issue 22) ------------------------------------------

PEOPLE = {"car-nna", "car-pam", "car-pcd", "educadores-de-calle", "cedif", "can", "acogida-temporal-nna",
          "acogida-temporal-pam", "acogida-temporal-pcd", "mi60"}


def test_people_served_are_told_from_events_by_their_units(data):
    people = {s.id for s in data.services for f in s.figures if periods.counts_people(f.unit)}
    assert people == PEOPLE
    for unit in ("casos de usuarios", "Niñas, niños y adolescentes adoptadas/os", "personas sensibilizadas e informadas",
                 "Niñas, niños y adolescentes ingresados al servicio de Protección Especial", "Consultas telefónicas"):
        assert not periods.counts_people(unit), unit


def test_people_served_are_compared_as_totals(data):
    car = data.service("car-nna")
    c = periods.changes(car, car.figures[0])
    assert c.people and c.lead == "total" and c.per_month is None and c.per_month_open is None
    assert (c.total.before, c.total.after, round(c.total.percent, 1)) == (2527, 2456, -2.8)


def test_events_lead_per_month_open_where_a_closure_is_known(data):
    cem = data.service("cem")
    c = periods.changes(cem, cem.figures[0])  # casos: +43,4 % per calendar month, +7,5 % per month open
    assert c.lead == "per_month_open" and not c.people
    assert round(c.per_month_open.percent, 1) == 7.5 and round(c.per_month.percent, 1) == 43.4
    sau = data.service("sau")
    assert periods.changes(sau, sau.figures[0]).lead == "per_month"


@pytest.mark.parametrize("first,small", [(0, True), (4, True), (periods.SMALL_BASE - 1, True),
                                         (periods.SMALL_BASE, False), (6311, False)])
def test_a_small_base(data, first, small):
    mi60 = data.service("mi60")
    figure = mi60.figures[0].model_copy(update={"values": [type(v)(value=n) for v, n in
                                                             zip(mi60.figures[0].values, (first, 727))]})
    assert periods.changes(mi60, figure).small_base is small


def test_periods_as_long_as_each_other_are_compared_as_totals(data):
    nna = data.service("acogida-temporal-nna")  # Mar - Dic 2020 and Ene - Oct 2021: 10 months each
    c = periods.changes(nna, nna.figures[0])
    assert c.months == (10, 10) and c.per_month is None and c.lead == "total"


def test_one_period_is_not_compared():
    one = parse_coverage(MINIMAL.replace("[{label: Año 2020}, {label: Ene - Oct 2021}]", "[{label: Año 2020}]")
                         .replace("values: [1726, 2075]", "values: [1726]"))
    assert periods.changes(one.service("cai"), one.service("cai").figures[0]) is None

"""Each note's card on the workbench offers the codebook and the stances, in menus rendered once a page."""

from __future__ import annotations

import re

from django.urls import reverse

from analysis.codebook import add_code
from analysis.models import Category
from tests.test_helpers import login


def test_every_card_offers_every_current_code_escaped_and_the_stance_neither_chosen(client, coded):
    category = Category.objects.filter(program=coded.team.program).first()
    odd = add_code(coded.team.program, category=category, name='Lunch <b>"loud"</b> & long')
    login(client, coded.team.analyst)
    page = client.get(reverse("workbench", kwargs={"slug": coded.team.program.slug})).content.decode()
    cards = re.findall(r'<select class="form-select form-select-sm w-auto" id="code-[^"]+" name="code">(.*?)</select>', page)
    stances = re.findall(r'id="stance-[^"]+" name="stance">(.*?)</select>', page)
    assert len(cards) == len(stances) == len(coded.notes)
    assert all(card == cards[0] for card in cards) and all(stance == stances[0] for stance in stances)
    assert f'<option value="{odd.pk}">Lunch &lt;b&gt;&quot;loud&quot;&lt;/b&gt; &amp; long</option>' in cards[0]
    assert cards[0].count("<option") == len(coded.codes) + 1
    assert re.findall(r'<option value="(\w+)"( selected)?>', stances[0]) == [
        ("challenge", ""), ("aspiration", ""), ("suggestion", ""), ("neither", " selected")]
